package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;

/** Replays on a real broker: pacing, end-of-procedure, and two procedures replayed at once. */
class ReplayClientIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @BeforeAll
    static void topics() {
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), TopicSettings.defaults());
    }

    private static List<ReplayFrame> frames(int n, int size) {
        return LongStream.range(0, n)
                .mapToObj(i -> {
                    byte[] b = new byte[size];
                    b[0] = (byte) i;
                    return new ReplayFrame(i, b, FrameHeaders.JPEG, 352, 288);
                })
                .toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> framesOf(String procedure, int expected) {
        return RecordsRead.until(
                KAFKA.bootstrapServers(),
                Topics.FRAMES,
                "read_committed",
                r -> ProcedureIdSerde.decode(r.key()).equals(procedure),
                expected,
                Duration.ofSeconds(30));
    }

    @Test
    void twoConcurrentReplaysEachArriveCompleteInOrderAndClosed() throws Exception {
        int n = 40;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
            ReplayClient client = new ReplayClient(producer, "replay");
            CompletableFuture<ReplaySummary> a = CompletableFuture.supplyAsync(
                    () -> client.replay("rp-left", frames(n, 20_000), Pacing.parse("realtime", 100), null), pool);
            CompletableFuture<ReplaySummary> b = CompletableFuture.supplyAsync(
                    () -> client.replay("rp-right", frames(n, 20_000), Pacing.parse("2x", 50), null), pool);
            ReplaySummary left = a.get(60, TimeUnit.SECONDS);
            ReplaySummary right = b.get(60, TimeUnit.SECONDS);
            for (ReplaySummary s : List.of(left, right)) {
                assertEquals(n, s.framesSent());
                assertEquals(n - 1, s.lastIndex());
                assertTrue(s.finished());
                // 40 frames at 100 fps: the last is due 390 ms after the first.
                assertTrue(s.elapsed().toMillis() >= 390, s::toString);
                assertTrue(s.framesPerSecond() < 110, s::toString);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String p : List.of("rp-left", "rp-right")) {
            List<ConsumerRecord<byte[], byte[]>> records = framesOf(p, n + 1);
            assertEquals(n + 1, records.size(), p);
            long previousCapture = -1;
            for (int i = 0; i < n; i++) {
                FrameHeaders h = FrameHeaders.parse(records.get(i).headers()).frame();
                assertEquals(i, h.frameIndex());
                assertEquals("replay", h.deviceId());
                assertEquals(i, records.get(i).value()[0]);
                assertTrue(h.captureMicros() > previousCapture, "capture times increase with the pacing");
                previousCapture = h.captureMicros();
            }
            assertEquals(n - 1, FrameHeaders.parse(records.get(n).headers()).lastIndex());
        }
    }

    @Test
    void maxPacingDoesNotWaitAndReportsProgress() {
        List<ReplaySummary> reports = Collections.synchronizedList(new ArrayList<>());
        try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
            ReplaySummary s = new ReplayClient(producer, "replay", Duration.ZERO)
                    .replay("rp-max", frames(200, 1000), Pacing.max(), reports::add);
            assertEquals(200, s.framesSent());
            assertEquals(200_000, s.bytesSent());
            assertTrue(s.elapsed().toMillis() < 200 * 40, "max pacing must beat real time: " + s);
            System.out.println("max-pacing replay: " + s);
        }
        assertTrue(reports.size() >= 2, "progress reports: " + reports.size());
        assertFalse(reports.get(0).finished());
        assertTrue(reports.get(reports.size() - 1).finished());
        assertEquals(201, framesOf("rp-max", 201).size());
    }

    @Test
    void anEmptyReplayStillClosesTheProcedure() {
        try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
            ReplaySummary s = new ReplayClient(producer, "replay").replay("rp-empty", List.of(), Pacing.max(), null);
            assertEquals(0, s.framesSent());
            assertEquals(-1, s.lastIndex());
        }
        List<ConsumerRecord<byte[], byte[]>> records = framesOf("rp-empty", 1);
        assertEquals(-1, FrameHeaders.parse(records.get(0).headers()).lastIndex());
    }

    @Test
    void framesGoingBackwardsStopTheReplayWithAClearError() {
        List<ReplayFrame> bad = new ArrayList<>(frames(3, 10));
        bad.add(new ReplayFrame(1, new byte[] {1}, FrameHeaders.JPEG, 352, 288));
        try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new ReplayClient(producer, "replay").replay("rp-bad", bad, Pacing.max(), null));
            assertEquals(
                    "frame index 1 of " + LogIds.procedure("rp-bad") + " is not greater than the previous one, 2",
                    e.getMessage());
        }
    }
}
