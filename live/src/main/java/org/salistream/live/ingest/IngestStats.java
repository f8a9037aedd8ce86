package org.salistream.live.ingest;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.salistream.live.DropOldestQueue;
import org.salistream.live.RateMeter;

/**
 * The counters of one ingest, updated by the capture thread, the sender and the producer's callbacks, read
 * by the progress line and the final summary. Never holds frame bytes or the procedure id.
 */
public final class IngestStats {

    final AtomicLong captured = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong missedFrames = new AtomicLong();
    final AtomicLong lastIndex = new AtomicLong(-1);
    final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final RateMeter captureRate = new RateMeter(50);
    private volatile DropOldestQueue<?> queue;

    /** The queue whose depth and drops are reported. */
    public void watch(DropOldestQueue<?> q) {
        this.queue = q;
    }

    /** Notes a captured frame (capture thread). */
    void captured(long index) {
        captureRate.mark();
        captured.incrementAndGet();
        lastIndex.set(index);
    }

    /** Capture rate over the last 50 frames, frames per second (0 before two frames). */
    public double captureFps() {
        return captureRate.perSecond();
    }

    /** Frames captured (after decimation to {@code --fps}). */
    public long captured() {
        return captured.get();
    }

    /** Frames handed to the producer. */
    public long sent() {
        return sent.get();
    }

    /** Frames the broker acknowledged (all in-sync replicas). */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Frames the producer could not deliver. */
    public long failed() {
        return failed.get();
    }

    /** Frames dropped because the queue was full (the sender could not keep up, e.g. a stalled broker). */
    public long dropped() {
        DropOldestQueue<?> q = queue;
        return q == null ? 0 : q.dropped();
    }

    /** Frames waiting in the queue now. */
    public int queued() {
        DropOldestQueue<?> q = queue;
        return q == null ? 0 : q.size();
    }

    /** Times the source was reopened after it dropped. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Frames estimated lost while the source was away (the indices skip them). */
    public long missedFrames() {
        return missedFrames.get();
    }

    /** The first delivery error, or null. */
    public String firstFailure() {
        return firstFailure.get();
    }

    /** The one-line terminal display: frames in, fps, dropped, reconnects, queue. */
    public String progressLine() {
        DropOldestQueue<?> q = queue;
        return String.format(
                Locale.ROOT,
                "frames in %d | %.1f fps | sent %d | dropped %d | reconnects %d | queue %d/%d",
                captured(),
                captureFps(),
                acknowledged(),
                dropped(),
                reconnects(),
                queued(),
                q == null ? 0 : q.capacity());
    }

    /** The final summary. */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "%d frames captured, %d sent and acknowledged, %d dropped (queue full), %d failed,"
                        + " %d reconnects, about %d frames missed while the source was away",
                captured(),
                acknowledged(),
                dropped(),
                failed(),
                reconnects(),
                missedFrames());
    }
}
