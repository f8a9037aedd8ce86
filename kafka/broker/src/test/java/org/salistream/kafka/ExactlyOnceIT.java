package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;

/**
 * What the pipeline's transactional writes look like to readers: masks, alerts and dead letters of an
 * aborted transaction are invisible to {@code read_committed} consumers (our MaskConsumer/AlertConsumer).
 */
class ExactlyOnceIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @BeforeAll
    static void topics() {
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), TopicSettings.defaults());
    }

    private static KafkaProducer<byte[], byte[]> transactional(String id) {
        Properties p = ClientConfigs.producer(KAFKA.bootstrapServers());
        p.put("transactional.id", id);
        // What Flink's exactly-once KafkaSink asks for at most; the broker's transaction.max.timeout.ms must allow it.
        p.put("transaction.timeout.ms", "900000");
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static MaskEnvelope mask(String procedure, long index) {
        float[] p = new float[64 * 48];
        Arrays.fill(p, 10 * 64, 30 * 64, 0.9f);
        return new MaskEnvelope(
                procedure,
                index,
                index * 40_000,
                index * 40_000 + 30_000,
                "sali-pvtv2-b5",
                "2024.1+sha256:ab12",
                64,
                48,
                0.9f,
                20 * 64,
                0.5f,
                List.of(new BoundingBox(0, 10, 64, 20, 0.9f)),
                MaskPng.encodeProbabilities(p, 64, 48));
    }

    private static ProducerRecord<byte[], byte[]> maskRecord(String procedure, long index) {
        return new ProducerRecord<>(
                Topics.MASKS, ProcedureIdSerde.encode(procedure), MaskEnvelopeSerde.encode(mask(procedure, index)));
    }

    @Test
    void abortedMasksAreNeverSeenByReadCommittedConsumers() {
        try (KafkaProducer<byte[], byte[]> producer = transactional("eo-masks")) {
            producer.beginTransaction();
            producer.send(maskRecord("eo-1", 0));
            producer.send(maskRecord("eo-1", 1));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(maskRecord("eo-1", 2));
            producer.send(maskRecord("eo-1", 3));
            producer.flush(); // on the broker, but not committed
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(maskRecord("eo-1", 2));
            producer.send(new ProducerRecord<>(
                    Topics.MASKS,
                    null,
                    ProcedureIdSerde.encode("eo-1"),
                    Topics.END_OF_PROCEDURE_VALUE,
                    FrameHeaders.writeEndOfProcedure(new RecordHeaders(), 2)));
            producer.commitTransaction();
        }
        try (MaskConsumer masks = MaskConsumer.fromBeginning(KAFKA.bootstrapServers())) {
            TopicReadout<MaskEnvelope> r = masks.untilEnded(List.of("eo-1"), Duration.ofSeconds(30));
            assertFalse(r.timedOut(), r::toString);
            assertEquals(
                    List.of(0L, 1L, 2L),
                    r.values("eo-1").stream().map(MaskEnvelope::frameIndex).toList());
            assertEquals(mask("eo-1", 1), r.values("eo-1").get(1));
        }
        // The aborted records are really in the log: a read_uncommitted reader sees all six data records.
        List<ConsumerRecord<byte[], byte[]>> raw = RecordsRead.until(
                KAFKA.bootstrapServers(),
                Topics.MASKS,
                "read_uncommitted",
                RecordsRead.keyStartsWith("eo-1"),
                6,
                Duration.ofSeconds(20));
        assertEquals(6, raw.size());
    }

    @Test
    void theAlertConsumerStopsAtTheRequestedCountsOrAtItsTimeout() {
        AlertEvent.Hysteresis h = new AlertEvent.Hysteresis(3, 5, 10, 0.5f);
        AlertEvent appeared = new AlertEvent(
                "eo-al", AlertEvent.Type.APPEARED, 12, 8, 12, 1, 2, 0.9f, new BoundingBox(1, 2, 3, 4, 0.9f), h);
        AlertEvent cleared = new AlertEvent("eo-al", AlertEvent.Type.CLEARED, 40, 8, 29, 3, 4, 0.95f, null, h);
        try (KafkaProducer<byte[], byte[]> producer = transactional("eo-alerts")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(
                    Topics.ALERTS, ProcedureIdSerde.encode("eo-al"), AlertEventSerde.encode(appeared)));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(
                    Topics.ALERTS, ProcedureIdSerde.encode("eo-al"), AlertEventSerde.encode(appeared)));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(
                    Topics.ALERTS, ProcedureIdSerde.encode("eo-al"), AlertEventSerde.encode(cleared)));
            producer.commitTransaction();
        }
        try (AlertConsumer alerts = AlertConsumer.fromBeginning(KAFKA.bootstrapServers())) {
            TopicReadout<AlertEvent> r = alerts.untilCounts(Map.of("eo-al", 2), Duration.ofSeconds(30));
            assertFalse(r.timedOut());
            assertEquals(List.of(appeared, cleared), r.values("eo-al"));
            long t0 = System.nanoTime();
            TopicReadout<AlertEvent> more = alerts.untilCounts(Map.of("eo-al", 3), Duration.ofMillis(800));
            assertTrue(more.timedOut(), "the aborted duplicate must not count as a third alert");
            assertTrue(System.nanoTime() - t0 >= 800_000_000L);
            assertEquals(2, more.count("eo-al"));
        }
    }

    @Test
    void aDeadLetterOnTheBrokerCarriesTheOriginalBytesHeadersAndReason() {
        byte[] notAnImage = {0x47, 0x49, 0x46};
        RecordHeaders original = new RecordHeaders();
        new FrameHeaders(3, 10, "scope", FrameHeaders.JPEG, 10, 10).write(original);
        ConsumerRecord<byte[], byte[]> source =
                new ConsumerRecord<>(Topics.FRAMES, 2, 77L, ProcedureIdSerde.encode("eo-dlq"), notAnImage);
        source.headers().add(original.lastHeader(HeaderNames.FRAME_INDEX));
        try (KafkaProducer<byte[], byte[]> producer = transactional("eo-dlq")) {
            producer.beginTransaction();
            producer.send(DeadLetters.record(
                    Topics.FRAMES_DLQ, source, DlqReason.UNDECODABLE_IMAGE, "no JPEG SOI marker", 123));
            producer.commitTransaction();
        }
        List<ConsumerRecord<byte[], byte[]>> read = RecordsRead.until(
                KAFKA.bootstrapServers(),
                Topics.FRAMES_DLQ,
                "read_committed",
                RecordsRead.keyStartsWith("eo-dlq"),
                1,
                Duration.ofSeconds(20));
        assertEquals(1, read.size());
        ConsumerRecord<byte[], byte[]> r = read.get(0);
        assertEquals(List.of((byte) 0x47, (byte) 0x49, (byte) 0x46), List.of(r.value()[0], r.value()[1], r.value()[2]));
        assertEquals(
                new DeadLetters.Info(DlqReason.UNDECODABLE_IMAGE, "no JPEG SOI marker", Topics.FRAMES, 2, 77L, 123),
                DeadLetters.parse(r.headers()));
        assertEquals(
                "3",
                new String(
                        r.headers().lastHeader(HeaderNames.FRAME_INDEX).value(),
                        java.nio.charset.StandardCharsets.US_ASCII));
    }
}
