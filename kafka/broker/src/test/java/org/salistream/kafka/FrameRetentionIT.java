package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;

/**
 * Frames captured longer ago than the frames retention (a replayed recording, a gateway whose clock is
 * behind; the pipeline's tests use fixed capture times in 2023) stay on the topic through the broker's
 * retention checks: retention counts from their arrival. With the capture time as the record time the first
 * check after a later record rolled the segment deleted them unread, and a job resuming from a checkpoint
 * below the new log start silently went on after the gap (RunResumeIT lost frames that way).
 */
class FrameRetentionIT {

    /** A broker that checks retention every 200 ms from the start (the default: after 30 s, then every 5 min). */
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension(
            b -> b.property("log.initial.task.delay.ms", "0").property("log.retention.check.interval.ms", "200"));

    private static final long CAPTURED_2023_MICROS = 1_700_000_000_000_000L;

    @Test
    void framesWhoseCaptureTimeIsOlderThanTheRetentionAreKeptThroughRetentionChecks() throws Exception {
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), TopicSettings.defaults());
        int frames = 3;
        RecordMetadata first = null;
        try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
            for (int i = 0; i < frames; i++) {
                RecordMetadata m = producer.send(
                                "retained-old-capture",
                                i,
                                CAPTURED_2023_MICROS + i * 40_000L,
                                "scope",
                                FrameHeaders.PNG,
                                2,
                                2,
                                new byte[] {(byte) i, 1, 2})
                        .get(30, TimeUnit.SECONDS);
                first = first == null ? m : first;
            }
            // Stamped now: under CreateTime its hour-long jump rolled the segment of the 2023 frames.
            producer.endProcedure("retained-old-capture", frames - 1).get(30, TimeUnit.SECONDS);
        }
        TopicPartition tp = new TopicPartition(Topics.FRAMES, first.partition());
        Properties p = ClientConfigs.readCommittedConsumer(KAFKA.bootstrapServers(), null);
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos(); // about 15 retention checks
            while (System.nanoTime() < until) {
                Map<TopicPartition, Long> start = c.beginningOffsets(List.of(tp));
                assertEquals(first.offset(), start.get(tp), "the log start of " + tp + " after a retention check");
                Thread.sleep(200);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> read = RecordsRead.until(
                KAFKA.bootstrapServers(),
                Topics.FRAMES,
                "read_committed",
                RecordsRead.keyStartsWith("retained-old-capture"),
                frames + 1,
                Duration.ofSeconds(30));
        assertEquals(frames + 1, read.size(), "every frame and the end record read back");
        for (int i = 0; i < frames; i++) {
            ConsumerRecord<byte[], byte[]> r = read.get(i);
            assertEquals(TimestampType.LOG_APPEND_TIME, r.timestampType());
            assertTrue(
                    r.timestamp()
                            > System.currentTimeMillis() - Duration.ofMinutes(5).toMillis(),
                    "the record time is the frame's arrival: " + r.timestamp());
            assertEquals(
                    CAPTURED_2023_MICROS + i * 40_000L,
                    FrameHeaders.parse(r.headers()).frame().captureMicros(),
                    "the capture time is in its header");
        }
    }
}
