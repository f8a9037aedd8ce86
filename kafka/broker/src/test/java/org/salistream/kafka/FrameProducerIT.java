package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;

/** Frames sent by the ingest client come back from a real broker keyed, in order, with their headers. */
class FrameProducerIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @BeforeAll
    static void topics() {
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), TopicSettings.defaults());
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void interleavedProceduresComeBackInOrderPerKeyWithTheirHeadersAndEndMarkers() throws Exception {
        String[] procedures = {"fp-a", "fp-b", "fp-c"};
        int frames = 30;
        long t0 = 1_767_225_600_000_000L;
        try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
            for (int i = 0; i < frames; i++) {
                for (String p : procedures) {
                    producer.send(
                            p,
                            i,
                            t0 + i * 40_000L,
                            "scope-" + p,
                            i % 2 == 0 ? FrameHeaders.JPEG : FrameHeaders.PNG,
                            640,
                            480,
                            bytes(1000 + i, i));
                }
            }
            for (String p : procedures) {
                producer.endProcedure(p, frames - 1).get(30, TimeUnit.SECONDS);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> read = RecordsRead.until(
                KAFKA.bootstrapServers(),
                Topics.FRAMES,
                "read_committed",
                r -> List.of(procedures).contains(ProcedureIdSerde.decode(r.key())),
                procedures.length * (frames + 1),
                Duration.ofSeconds(30));
        assertEquals(procedures.length * (frames + 1), read.size());

        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
            byKey.computeIfAbsent(ProcedureIdSerde.decode(r.key()), k -> new ArrayList<>())
                    .add(r);
        }
        for (String p : procedures) {
            List<ConsumerRecord<byte[], byte[]>> records = byKey.get(p);
            assertEquals(frames + 1, records.size(), p);
            assertEquals(
                    1,
                    records.stream().map(ConsumerRecord::partition).distinct().count(),
                    "one partition per procedure");
            for (int i = 0; i < frames; i++) {
                ConsumerRecord<byte[], byte[]> r = records.get(i);
                HeaderParse parsed = FrameHeaders.parse(r.headers());
                assertTrue(parsed.isFrame(), parsed::toString);
                assertEquals(
                        new FrameHeaders(
                                i,
                                t0 + i * 40_000L,
                                "scope-" + p,
                                i % 2 == 0 ? FrameHeaders.JPEG : FrameHeaders.PNG,
                                640,
                                480),
                        parsed.frame());
                assertEquals(
                        TimestampType.LOG_APPEND_TIME,
                        r.timestampType(),
                        "record time = arrival (retention counts from it)");
                assertArrayEquals(bytes(1000 + i, i), r.value());
            }
            ConsumerRecord<byte[], byte[]> end = records.get(frames);
            assertEquals(frames - 1, FrameHeaders.parse(end.headers()).lastIndex());
            assertEquals(0, end.value().length);
        }
    }

    @Test
    void aSixMebibyteFrameGoesThroughTheBrokerAndTopicLimits() throws Exception {
        byte[] big = bytes(6 * 1024 * 1024, 9);
        try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
            RecordMetadata m = producer.send("fp-big", 0, 1, "scope", FrameHeaders.PNG, 3840, 2160, big)
                    .get(60, TimeUnit.SECONDS);
            assertTrue(m.serializedValueSize() >= big.length);
        }
        List<ConsumerRecord<byte[], byte[]>> read = RecordsRead.until(
                KAFKA.bootstrapServers(),
                Topics.FRAMES,
                "read_committed",
                RecordsRead.keyStartsWith("fp-big"),
                1,
                Duration.ofSeconds(30));
        assertArrayEquals(big, read.get(0).value());
    }

    @Test
    void framesOverTheLimitOrOutOfOrderAreRefusedBeforeSending() throws Exception {
        try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
            IllegalArgumentException tooBig = assertThrows(
                    IllegalArgumentException.class,
                    () -> producer.send(
                            "fp-refused",
                            0,
                            1,
                            "s",
                            FrameHeaders.JPEG,
                            10,
                            10,
                            new byte[TopicSettings.DEFAULT_MAX_FRAME_BYTES + 1]));
            assertEquals(
                    "frame 0 of " + LogIds.procedure("fp-refused") + " has 8388609 bytes, over the limit of 8388608",
                    tooBig.getMessage());
            producer.send("fp-refused", 5, 1, "s", FrameHeaders.JPEG, 10, 10, new byte[] {1})
                    .get(30, TimeUnit.SECONDS);
            IllegalArgumentException back = assertThrows(
                    IllegalArgumentException.class,
                    () -> producer.send("fp-refused", 5, 2, "s", FrameHeaders.JPEG, 10, 10, new byte[] {1}));
            assertEquals(
                    "frame index 5 of " + LogIds.procedure("fp-refused") + " is not greater than the previous one, 5",
                    back.getMessage());
            assertThrows(IllegalArgumentException.class, () -> producer.endProcedure("fp-refused", 4));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> producer.send("fp-refused", 6, 1, "s", "image/gif", 10, 10, new byte[] {1}));
            producer.endProcedure("fp-refused", 5).get(30, TimeUnit.SECONDS);
        }
    }
}
