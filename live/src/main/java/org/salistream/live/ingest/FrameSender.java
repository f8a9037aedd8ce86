package org.salistream.live.ingest;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.salistream.datasets.ImageFiles;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.live.DropOldestQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of an ingest, on its own thread: takes captured frames from the {@link DropOldestQueue},
 * encodes the cropped region as JPEG and hands it to the {@link FrameProducer}, with at most
 * {@code maxInFlight} frames unacknowledged. When the broker stalls, this thread waits (for
 * acknowledgements, or inside the producer) and the queue in front of it fills and drops its oldest frames;
 * the capture thread never waits. Once the queue is closed and drained, it sends the end-of-procedure
 * record after the last frame sent.
 */
public final class FrameSender implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameSender.class);

    private final DropOldestQueue<PendingFrame> queue;
    private final FrameProducer producer;
    private final String procedureId;
    private final String deviceId;
    private final float jpegQuality;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final IngestStats stats;
    private volatile long lastSentIndex = -1;
    private volatile boolean endAcknowledged;
    private volatile Duration drainTimeout = Duration.ofSeconds(30);

    /**
     * @param jpegQuality JPEG quality 1..100
     * @param maxInFlight frames sent but not yet acknowledged, at most
     */
    public FrameSender(
            DropOldestQueue<PendingFrame> queue,
            FrameProducer producer,
            String procedureId,
            String deviceId,
            int jpegQuality,
            int maxInFlight,
            IngestStats stats) {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("--jpeg-quality must be within 1..100, got " + jpegQuality);
        }
        this.queue = queue;
        this.producer = producer;
        this.procedureId = procedureId;
        this.deviceId = deviceId;
        this.jpegQuality = jpegQuality / 100f;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.stats = stats;
    }

    /** How long to wait, after the last frame, for outstanding acknowledgements and the end-of-procedure record. */
    public void setDrainTimeout(Duration timeout) {
        this.drainTimeout = timeout;
    }

    @Override
    public void run() {
        try {
            while (true) {
                PendingFrame f = queue.poll(100, TimeUnit.MILLISECONDS);
                if (f == null) {
                    if (queue.isDrained()) {
                        break;
                    }
                    continue;
                }
                send(f);
            }
            endProcedure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(PendingFrame f) throws InterruptedException {
        byte[] jpeg = ImageFiles.jpeg(f.image().toImage(f.crop()), jpegQuality);
        inFlight.acquire();
        try {
            producer.send(
                            procedureId,
                            f.index(),
                            f.captureMicros(),
                            deviceId,
                            FrameHeaders.JPEG,
                            f.crop().width(),
                            f.crop().height(),
                            jpeg)
                    .whenComplete((metadata, error) -> {
                        inFlight.release();
                        if (error == null) {
                            stats.acknowledged.incrementAndGet();
                        } else {
                            fail(error);
                        }
                    });
            lastSentIndex = f.index();
            stats.sent.incrementAndGet();
        } catch (RuntimeException e) {
            // Refused before sending (a frame over the size limit) or the producer could not take it in time.
            inFlight.release();
            fail(e);
        }
    }

    private void fail(Throwable error) {
        stats.failed.incrementAndGet();
        String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (stats.firstFailure.compareAndSet(null, reason)) {
            LOG.warn("a frame could not be delivered to Kafka ({}); later failures are counted, not logged", reason);
        }
    }

    /** Waits for every frame's acknowledgement, then sends the end-of-procedure record and waits for it. */
    private void endProcedure() throws InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        if (!inFlight.tryAcquire(maxInFlight, drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
            LOG.warn(
                    "{} frames still unacknowledged after {} s; ending the procedure anyway",
                    maxInFlight - inFlight.availablePermits(),
                    drainTimeout.toSeconds());
        } else {
            inFlight.release(maxInFlight);
        }
        try {
            producer.endProcedure(procedureId, lastSentIndex)
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            endAcknowledged = true;
        } catch (ExecutionException e) {
            fail(e.getCause());
        } catch (TimeoutException e) {
            fail(new TimeoutException(
                    "the end-of-procedure record was not acknowledged within " + drainTimeout.toSeconds() + " s"));
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** The last frame index handed to the producer, -1 when none. */
    public long lastSentIndex() {
        return lastSentIndex;
    }

    /** Whether the broker acknowledged the end-of-procedure record. */
    public boolean endAcknowledged() {
        return endAcknowledged;
    }
}
