package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.DeadLetters;
import org.salistream.kafka.DlqReason;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.MaskConsumer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.TopicReadout;
import org.salistream.kafka.Topics;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;
import org.salistream.pipeline.testing.DeadLetterReader;
import org.salistream.pipeline.testing.JobHarness;
import org.salistream.pipeline.testing.Procedures;

/**
 * Malformed input on a real broker: each kind of bad record goes to {@code frames.dlq} with its reason,
 * and a healthy procedure interleaved with them comes out complete.
 */
class DeadLetterIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static ProducerRecord<byte[], byte[]> frame(
            String procedure, long index, String type, int w, int h, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        new FrameHeaders(index, 1_700_000_000_000_000L + index, "scope", type, w, h).write(headers);
        return new ProducerRecord<>(
                Topics.FRAMES,
                null,
                procedure == null ? null : procedure.getBytes(StandardCharsets.UTF_8),
                value,
                headers);
    }

    /** The healthy procedure's frame indices: 0, 1, 2, 3, then a gap (processed as it comes), 5, 6. */
    private static long index(int i) {
        return i < 4 ? i : i + 1;
    }

    @Test
    void everyKindOfBadRecordIsDeadLetteredAndTheHealthyProcedureIsUnharmed() throws Exception {
        int n = 6;
        List<byte[]> good = Procedures.frames("healthy", n, FrameHeaders.JPEG);
        byte[] png = Procedures.frames("other", 1, FrameHeaders.PNG).get(0);
        byte[] big = Procedures.frames("big", 1, FrameHeaders.PNG).get(0);
        int limit = Math.max(good.stream().mapToInt(b -> b.length).max().orElse(0), png.length) + 1;
        JobClient job = JobHarness.start(
                JobHarness.config(KAFKA.bootstrapServers(), "procedure.max-frame-bytes", Integer.toString(limit)));
        int W = Procedures.WIDTH;
        int H = Procedures.HEIGHT;
        Map<DlqReason, Integer> expected = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                ClientConfigs.producer(KAFKA.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                p.send(frame("healthy", index(i), FrameHeaders.JPEG, W, H, good.get(i)));
                switch (i) {
                    case 0 -> { // a corrupt JPEG: the signature, then garbage
                        byte[] corrupt = Arrays.copyOf(good.get(0), 600);
                        Arrays.fill(corrupt, 300, 600, (byte) 0x55);
                        p.send(frame("corrupt", 0, FrameHeaders.JPEG, W, H, corrupt));
                        expected.merge(DlqReason.UNDECODABLE_IMAGE, 1, Integer::sum);
                    }
                    case 1 -> { // PNG bytes declared as JPEG
                        p.send(frame("mislabelled", 0, FrameHeaders.JPEG, W, H, png));
                        expected.merge(DlqReason.UNDECODABLE_IMAGE, 1, Integer::sum);
                    }
                    case 2 -> { // no headers at all, and no key
                        p.send(new ProducerRecord<>(
                                Topics.FRAMES, "bare".getBytes(StandardCharsets.UTF_8), good.get(0)));
                        expected.merge(DlqReason.MISSING_HEADER, 1, Integer::sum);
                        p.send(new ProducerRecord<>(Topics.FRAMES, null, good.get(0)));
                        expected.merge(DlqReason.MISSING_KEY, 1, Integer::sum);
                    }
                    case 3 -> { // a zero-size image in the headers; an empty value; a record over the limit
                        RecordHeaders zero = new RecordHeaders();
                        new FrameHeaders(0, 1, "scope", FrameHeaders.PNG, 1, 1).write(zero);
                        zero.remove("sali.width");
                        zero.add("sali.width", "0".getBytes(StandardCharsets.UTF_8));
                        p.send(new ProducerRecord<>(
                                Topics.FRAMES, null, "zero".getBytes(StandardCharsets.UTF_8), png, zero));
                        expected.merge(DlqReason.INVALID_HEADER, 1, Integer::sum);
                        p.send(frame("empty", 0, FrameHeaders.PNG, W, H, new byte[0]));
                        expected.merge(DlqReason.UNDECODABLE_IMAGE, 1, Integer::sum);
                        byte[] oversized = Arrays.copyOf(big, limit + 10);
                        p.send(frame("oversized", 0, FrameHeaders.PNG, W, H, oversized));
                        expected.merge(DlqReason.OVERSIZED, 1, Integer::sum);
                    }
                    case 4 -> { // a late duplicate of a healthy frame (dropped, counted); an unknown procedure's end
                        p.send(frame("healthy", 1, FrameHeaders.JPEG, W, H, good.get(1)));
                        RecordHeaders end = new RecordHeaders();
                        FrameHeaders.writeEndOfProcedure(end, 3);
                        p.send(new ProducerRecord<>(
                                Topics.FRAMES,
                                null,
                                "never-started".getBytes(StandardCharsets.UTF_8),
                                Topics.END_OF_PROCEDURE_VALUE,
                                end));
                        expected.merge(DlqReason.AFTER_END_OF_PROCEDURE, 1, Integer::sum);
                    }
                    case 5 -> { // the healthy procedure's skipped index 4 arriving after 6: going backwards
                        p.send(frame("healthy", 4, FrameHeaders.JPEG, W, H, good.get(4)));
                        expected.merge(DlqReason.OUT_OF_ORDER, 1, Integer::sum);
                    }
                    default -> {}
                }
            }
            RecordHeaders end = new RecordHeaders();
            FrameHeaders.writeEndOfProcedure(end, index(n - 1));
            p.send(new ProducerRecord<>(
                    Topics.FRAMES,
                    null,
                    "healthy".getBytes(StandardCharsets.UTF_8),
                    Topics.END_OF_PROCEDURE_VALUE,
                    end));
            p.flush();
        }
        try {
            TopicReadout<MaskEnvelope> masks;
            try (MaskConsumer consumer = MaskConsumer.fromBeginning(KAFKA.bootstrapServers())) {
                masks = consumer.untilEnded(List.of("healthy"), Duration.ofMinutes(3));
            }
            assertFalse(masks.timedOut(), "the healthy procedure completes: " + masks);
            assertEquals(
                    List.of(0L, 1L, 2L, 3L, 5L, 6L),
                    masks.values("healthy").stream()
                            .map(MaskEnvelope::frameIndex)
                            .toList());
            int total = expected.values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(expected, readDeadLetters(total));
        } finally {
            job.cancel().get();
        }
    }

    private static Map<DlqReason, Integer> readDeadLetters(int expectedCount) {
        Map<DlqReason, Integer> got = new TreeMap<>();
        for (DeadLetters.Info info : DeadLetterReader.read(KAFKA.bootstrapServers(), expectedCount)) {
            got.merge(info.reason(), 1, Integer::sum);
        }
        return got;
    }
}
