package org.salistream.kafka;

import java.time.Duration;
import java.util.Locale;

/**
 * Progress or result of one replay: frames and bytes sent so far, the last index, how long it has been
 * running and the resulting rate. {@code finished} is true for the final summary (after the
 * end-of-procedure record was acknowledged).
 *
 * @param procedureId the replayed procedure
 * @param framesSent  frames handed to the producer
 * @param bytesSent   their encoded bytes
 * @param lastIndex   index of the last frame sent, {@code -1} when none
 * @param elapsed     time since the first frame was due
 * @param pacing      the pacing used
 * @param finished    whether this is the final summary
 */
public record ReplaySummary(
        String procedureId,
        long framesSent,
        long bytesSent,
        long lastIndex,
        Duration elapsed,
        Pacing pacing,
        boolean finished) {

    /** Frames per second over the elapsed time (0 before the first frame). */
    public double framesPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s > 0 ? framesSent / s : 0;
    }

    /**
     * One line for people, the procedure id hashed ({@link LogIds}; the line often ends up in a log):
     * {@code proc#3fa2c1d9e0: 250 frames (12.3 MB) in 10.0 s, 25.0 fps [realtime@25fps] done}.
     */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s: %d frames (%.1f MB) in %.1f s, %.1f fps [%s]%s",
                LogIds.procedure(procedureId),
                framesSent,
                bytesSent / 1e6,
                elapsed.toNanos() / 1e9,
                framesPerSecond(),
                pacing,
                finished ? " done" : "");
    }
}
