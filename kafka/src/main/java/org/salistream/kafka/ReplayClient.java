package org.salistream.kafka;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Replays recorded frames of one procedure onto the {@code frames} topic as if a scope were sending
 * them live: each frame's capture time is the wall-clock time it is sent, frames are paced by
 * {@link Pacing}, and the end-of-procedure record follows the last frame.
 *
 * <p>One {@code ReplayClient} (and its {@link FrameProducer}) can serve several replays at once, each
 * {@link #replay} call running in its own thread (the demo replays two procedures concurrently).
 */
public final class ReplayClient {

    private final FrameProducer producer;
    private final String deviceId;
    private final Duration progressInterval;

    /** A client sending as {@code deviceId}, reporting progress every second. */
    public ReplayClient(FrameProducer producer, String deviceId) {
        this(producer, deviceId, Duration.ofSeconds(1));
    }

    /** A client sending as {@code deviceId}, reporting progress every {@code progressInterval}. */
    public ReplayClient(FrameProducer producer, String deviceId, Duration progressInterval) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.deviceId = HeaderCodec.requireText("device id", deviceId, FrameHeaders.MAX_DEVICE_BYTES);
        this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
    }

    /** A progress listener printing one line per report, e.g. for the {@code sali replay} command. */
    public static Consumer<ReplaySummary> printingTo(PrintStream out) {
        return summary -> out.println(summary);
    }

    /** Replays {@code frames} in iteration order; see {@link #replay(String, Iterator, Pacing, Consumer)}. */
    public ReplaySummary replay(
            String procedureId, Iterable<ReplayFrame> frames, Pacing pacing, Consumer<ReplaySummary> progress) {
        return replay(procedureId, frames.iterator(), pacing, progress);
    }

    /**
     * Sends every frame, paced, then the end-of-procedure record, and waits until the broker acknowledged
     * all of them. If the thread is interrupted, the replay stops early but still closes the procedure with
     * an end-of-procedure record; the interrupt flag stays set and the summary shows how far it got.
     *
     * @param progress called about every progress interval and once at the end; may be null
     * @return the final summary
     * @throws KafkaException when a frame could not be sent (the replay stops at the first failure)
     * @throws IllegalArgumentException when a frame is invalid or frame indexes do not increase
     */
    public ReplaySummary replay(
            String procedureId, Iterator<ReplayFrame> frames, Pacing pacing, Consumer<ReplaySummary> progress) {
        ProcedureIdSerde.require(procedureId);
        Objects.requireNonNull(pacing, "pacing");
        Consumer<ReplaySummary> report = progress == null ? s -> {} : progress;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long interval = pacing.intervalNanos();
        long start = System.nanoTime();
        long nextReport = start + progressInterval.toNanos();
        long sent = 0;
        long bytes = 0;
        long lastIndex = -1;
        boolean interrupted = false;
        while (frames.hasNext()) {
            ReplayFrame frame = frames.next();
            if (!pacing.isMax() && !sleepUntil(start + sent * interval)) {
                interrupted = true;
                break;
            }
            throwIfFailed(failure, procedureId, sent);
            producer.send(
                            procedureId,
                            frame.index(),
                            nowMicros(),
                            deviceId,
                            frame.contentType(),
                            frame.width(),
                            frame.height(),
                            frame.bytes())
                    .whenComplete((m, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
            sent++;
            bytes += frame.bytes().length;
            lastIndex = frame.index();
            long now = System.nanoTime();
            if (now >= nextReport) {
                report.accept(new ReplaySummary(
                        procedureId, sent, bytes, lastIndex, Duration.ofNanos(now - start), pacing, false));
                nextReport = now + progressInterval.toNanos();
            }
        }
        if (interrupted) {
            Thread.interrupted(); // clear it while we wait for the end-of-procedure acknowledgement; set again below
        }
        CompletableFuture<RecordMetadata> end = producer.endProcedure(procedureId, lastIndex);
        try {
            end.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause());
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (java.util.concurrent.TimeoutException e) {
            failure.compareAndSet(null, e);
        }
        throwIfFailed(failure, procedureId, sent);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        ReplaySummary summary = new ReplaySummary(
                procedureId, sent, bytes, lastIndex, Duration.ofNanos(System.nanoTime() - start), pacing, true);
        report.accept(summary);
        return summary;
    }

    private static void throwIfFailed(AtomicReference<Throwable> failure, String procedureId, long sent) {
        Throwable t = failure.get();
        if (t != null) {
            throw new KafkaException(
                    "replay of procedure " + LogIds.procedure(procedureId) + " failed after " + sent + " frames: " + t,
                    t);
        }
    }

    /** Sleeps until the absolute {@code System.nanoTime()} deadline; false when interrupted. */
    private static boolean sleepUntil(long deadline) {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !Thread.currentThread().isInterrupted();
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
