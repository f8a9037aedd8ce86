package org.salistream.live.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.salistream.live.DropOldestQueue;
import org.salistream.live.EpochMicros;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture side of an ingest, on the calling thread: reads pictures from the {@link VideoSource},
 * numbers them, decides their crop and puts them in the queue without ever waiting for Kafka. A live source
 * (network stream, device) that drops or ends is reopened with capped exponential {@link Backoff}; frame
 * indices stay strictly increasing across reconnects and skip the frames the outage is estimated to have
 * lost (outage time x frame rate), so that downstream sees the gap; the gap is counted and logged.
 */
public final class CaptureLoop {

    /** Why the loop ended. */
    public enum End {
        /** The end of a file. */
        END_OF_FILE,
        /** {@code --max-frames} frames were captured. */
        MAX_FRAMES,
        /** Stopped from outside (SIGTERM, Ctrl-C). */
        STOPPED,
        /** A live source stayed away longer than {@code --give-up-after}. */
        GAVE_UP
    }

    /**
     * How the loop runs.
     *
     * @param fps         frames per second to capture at most (0: every frame); also the rate that converts an
     *                    outage into missed frames (the source's own rate when 0)
     * @param maxFrames   stop after this many frames (0: no limit)
     * @param realtime    pace a file at its frame timestamps (a live source paces itself)
     * @param backoff     waits between reopening attempts
     * @param giveUpAfter end the procedure when a live source stays away this long (zero: never)
     */
    public record Settings(double fps, long maxFrames, boolean realtime, Backoff backoff, Duration giveUpAfter) {}

    private static final Logger LOG = LoggerFactory.getLogger(CaptureLoop.class);
    private static final double DEFAULT_FPS = 25.0;

    private final VideoSource source;
    private final SourceSpec spec;
    private final CropTracker crop;
    private final DropOldestQueue<PendingFrame> queue;
    private final IngestStats stats;
    private final Settings settings;
    private final CountDownLatch stop = new CountDownLatch(1);
    private long nextIndex;
    private long lastCaptureNanos;
    private long nextDueNanos = Long.MIN_VALUE;
    private long paceStartNanos = -1;
    private long paceStartStreamMicros;

    /** A loop over an opened source. */
    public CaptureLoop(
            VideoSource source,
            SourceSpec spec,
            CropTracker crop,
            DropOldestQueue<PendingFrame> queue,
            IngestStats stats,
            Settings settings) {
        this.source = source;
        this.spec = spec;
        this.crop = crop;
        this.queue = queue;
        this.stats = stats;
        this.settings = settings;
    }

    /** Asks the loop to end after the frame it is reading (any thread; what SIGTERM does). */
    public void stop() {
        stop.countDown();
    }

    /**
     * Captures until the source ends (a file), enough frames were captured, {@link #stop()} is called, or a
     * live source stays away too long.
     *
     * @param first the first picture, already read while checking the source
     */
    public End run(VideoSource.Captured first) throws InterruptedException {
        VideoSource.Captured next = first;
        while (true) {
            if (stop.getCount() == 0) {
                return End.STOPPED;
            }
            if (next == null) {
                if (!spec.isLive()) {
                    return End.END_OF_FILE;
                }
                if (!reconnect("the stream ended")) {
                    return stop.getCount() == 0 ? End.STOPPED : End.GAVE_UP;
                }
            } else if (take(next)) {
                if (settings.maxFrames() > 0 && stats.captured() >= settings.maxFrames()) {
                    return End.MAX_FRAMES;
                }
            }
            try {
                next = source.grab();
            } catch (IOException e) {
                if (!spec.isLive()) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                if (!reconnect(e.getMessage())) {
                    return stop.getCount() == 0 ? End.STOPPED : End.GAVE_UP;
                }
                next = null;
                try {
                    next = source.grab();
                } catch (IOException again) {
                    LOG.warn("the source failed right after reopening: {}", again.getMessage());
                }
            }
        }
    }

    /** Numbers, crops and queues one picture; false when {@code --fps} decimation skipped it. */
    private boolean take(VideoSource.Captured c) throws InterruptedException {
        pace(c);
        long now = System.nanoTime();
        if (settings.fps() > 0) {
            // Live sources are decimated on the wall clock, files on their own timestamps.
            long t = spec.isLive() ? now : c.streamMicros() * 1000;
            long period = (long) (1e9 / settings.fps());
            if (t < nextDueNanos) {
                return false;
            }
            // Keep the average rate; after a pause of more than a period (a reconnect), start again from now.
            nextDueNanos =
                    nextDueNanos == Long.MIN_VALUE || t - nextDueNanos > period ? t + period : nextDueNanos + period;
        }
        PendingFrame f = new PendingFrame(nextIndex++, EpochMicros.now(), c.image(), crop.update(c.image()));
        lastCaptureNanos = now;
        stats.captured(f.index());
        if (spec.isLive() || settings.realtime()) {
            queue.offer(f);
        } else {
            queue.put(f); // a file read as fast as it decodes has no clock to keep: wait rather than drop
        }
        return true;
    }

    /** With {@code --realtime}, holds a file's frame until its timestamp comes (live sources pace themselves). */
    private void pace(VideoSource.Captured c) throws InterruptedException {
        if (!settings.realtime() || spec.isLive()) {
            return;
        }
        if (paceStartNanos < 0) {
            paceStartNanos = System.nanoTime();
            paceStartStreamMicros = c.streamMicros();
        }
        long due = paceStartNanos + (c.streamMicros() - paceStartStreamMicros) * 1000;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            stop.await(wait, TimeUnit.NANOSECONDS);
        }
    }

    /** Reopens a live source with back-off; false when stopped or given up. */
    private boolean reconnect(String why) throws InterruptedException {
        long outageStart = lastCaptureNanos > 0 ? lastCaptureNanos : System.nanoTime();
        stats.reconnects.incrementAndGet();
        LOG.warn(
                "the source {} dropped after frame {} ({}); reopening with back-off",
                spec.redacted(),
                nextIndex - 1,
                why);
        Backoff backoff = settings.backoff();
        backoff.reset();
        source.close();
        while (true) {
            Duration wait = backoff.next();
            if (stop.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            try {
                source.open();
                break;
            } catch (IOException e) {
                long away = System.nanoTime() - outageStart;
                if (!settings.giveUpAfter().isZero()
                        && away >= settings.giveUpAfter().toNanos()) {
                    LOG.error(
                            "the source {} stayed away for {} s ({}); giving up",
                            spec.redacted(),
                            away / 1_000_000_000L,
                            e.getMessage());
                    return false;
                }
                LOG.debug("reopening attempt {} failed: {}", backoff.attempts(), e.getMessage());
            }
        }
        double fps = settings.fps() > 0
                ? settings.fps()
                : Double.isNaN(source.frameRate()) ? DEFAULT_FPS : source.frameRate();
        double awaySeconds = (System.nanoTime() - outageStart) / 1e9;
        long missed = Math.max(0, Math.round(awaySeconds * fps) - 1);
        nextIndex += missed;
        stats.missedFrames.addAndGet(missed);
        LOG.info(String.format(
                Locale.ROOT,
                "the source is back after %.1f s (%d attempts); about %d frames missed," + " indices continue at %d",
                awaySeconds,
                backoff.attempts(),
                missed,
                nextIndex));
        return true;
    }
}
