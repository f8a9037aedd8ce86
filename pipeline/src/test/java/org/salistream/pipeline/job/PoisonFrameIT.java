package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.AlertConsumer;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.DeadLetters;
import org.salistream.kafka.DlqReason;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.MaskConsumer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.TopicReadout;
import org.salistream.kafka.Topics;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;
import org.salistream.model.image.RgbImage;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.testing.DeadLetterReader;
import org.salistream.pipeline.testing.FailingStages;
import org.salistream.pipeline.testing.JobHarness;
import org.salistream.pipeline.testing.PoisonImages;
import org.salistream.pipeline.testing.Procedures;
import org.salistream.pipeline.testing.TestModels;

/**
 * Poison frames on a real broker, with restarts switched off (any exception escaping a frame would fail the
 * job): frames that make the model path throw, a PNG bomb and a 16384 x 16384 header are dead-lettered with
 * their reasons, a procedure the model fails on three times in a row is closed with a
 * {@code SEGMENTATION_STOPPED} alert, and a healthy procedure interleaved with them gets exactly its offline
 * masks, while the job keeps running.
 */
class PoisonFrameIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final int S = TestModels.CONFIG.size();

    private static ProducerRecord<byte[], byte[]> frame(String procedure, long index, int w, int h, byte[] png) {
        RecordHeaders headers = new RecordHeaders();
        new FrameHeaders(index, 1_700_000_000_000_000L + index, "scope", FrameHeaders.PNG, w, h).write(headers);
        return new ProducerRecord<>(Topics.FRAMES, null, procedure.getBytes(StandardCharsets.UTF_8), png, headers);
    }

    /** A model-size PNG (resizing leaves it as it is) carrying a fault marker in its first pixels. */
    private static byte[] marked(String procedure, long i, String marker) {
        byte[] rgb = FailingStages.marked(TestModels.frameRgb(procedure.hashCode() * 7L + i, S, S), marker);
        return Procedures.encode(new RgbImage(S, S, rgb).toBufferedImage(), FrameHeaders.PNG);
    }

    private static ProducerRecord<byte[], byte[]> end(String procedure, long last) {
        RecordHeaders end = new RecordHeaders();
        FrameHeaders.writeEndOfProcedure(end, last);
        return new ProducerRecord<>(
                Topics.FRAMES, null, procedure.getBytes(StandardCharsets.UTF_8), Topics.END_OF_PROCEDURE_VALUE, end);
    }

    @Test
    void poisonFramesAreDeadLetteredWithReasonsWhileAHealthyProcedureCompletesAndTheJobNeverRestarts()
            throws Exception {
        int n = 6;
        Map<String, List<byte[]>> healthy = new LinkedHashMap<>();
        healthy.put("healthy", Procedures.frames("healthy", n, FrameHeaders.PNG));
        PipelineConfig config = JobHarness.config(
                KAFKA.bootstrapServers(),
                "restart.strategy",
                "none",
                "procedure.max-model-failures",
                "3",
                "alerts.threshold",
                "0");
        JobClient job = JobHarness.start(config, j -> j.withModel(FailingStages.factory()));
        Map<DlqReason, Integer> expected = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                ClientConfigs.producer(KAFKA.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                p.send(frame(
                        "healthy",
                        i,
                        Procedures.WIDTH,
                        Procedures.HEIGHT,
                        healthy.get("healthy").get(i)));
                switch (i) {
                    case 0 -> { // a bomb: 12000 x 12000 declared in 10 kB; a gigabyte header
                        p.send(frame("bomb", 0, 12000, 12000, PoisonImages.png(12000, 12000, 8 << 20)));
                        p.send(frame("huge", 0, 16384, 16384, PoisonImages.png(16384, 16384, 1 << 16)));
                        expected.merge(DlqReason.OVERSIZED, 2, Integer::sum);
                    }
                    case 1 -> { // the model throws on one frame of a procedure that then goes on
                        p.send(frame("one-bad", 0, S, S, marked("one-bad", 0, "healthy!")));
                        p.send(frame("one-bad", 1, S, S, marked("one-bad", 1, FailingStages.SEGMENT)));
                        expected.merge(DlqReason.MODEL_FAILED, 1, Integer::sum);
                    }
                    case 2 -> {
                        p.send(frame("one-bad", 2, S, S, marked("one-bad", 2, "healthy!")));
                        p.send(end("one-bad", 2));
                    }
                    default -> { // the model throws on every frame of this one: closed after three
                        p.send(frame("all-bad", i - 3, S, S, marked("all-bad", i - 3, FailingStages.ENCODE)));
                        expected.merge(DlqReason.MODEL_FAILED, 1, Integer::sum);
                    }
                }
            }
            p.send(frame("all-bad", 3, S, S, marked("all-bad", 3, FailingStages.ENCODE)));
            expected.merge(DlqReason.AFTER_END_OF_PROCEDURE, 1, Integer::sum); // it was closed
            p.send(end("healthy", n - 1));
            p.flush();
        }
        try {
            TopicReadout<MaskEnvelope> masks;
            try (MaskConsumer consumer = MaskConsumer.fromBeginning(KAFKA.bootstrapServers())) {
                masks = consumer.untilEnded(List.of("healthy", "one-bad", "all-bad"), Duration.ofMinutes(4));
            }
            assertFalse(masks.timedOut(), "the healthy procedure completes, the others end: " + masks);
            Procedures.assertOfflineMasks(healthy, masks, "beside the poison frames");
            assertEquals(
                    List.of(0L, 2L),
                    masks.values("one-bad").stream()
                            .map(MaskEnvelope::frameIndex)
                            .toList());
            assertEquals(0, masks.count("all-bad"));
            int total = expected.values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(expected, readDeadLetters(total));
            TopicReadout<AlertEvent> alerts;
            try (AlertConsumer consumer = AlertConsumer.fromBeginning(KAFKA.bootstrapServers())) {
                alerts = consumer.untilCounts(Map.of("all-bad", 1), Duration.ofMinutes(1));
            }
            assertEquals(
                    AlertEvent.Type.SEGMENTATION_STOPPED,
                    alerts.values("all-bad").get(0).type());
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(), "no frame failed the job (restarts are off)");
        } finally {
            job.cancel().get();
        }
    }

    private static Map<DlqReason, Integer> readDeadLetters(int expectedCount) {
        Map<DlqReason, Integer> got = new TreeMap<>();
        for (DeadLetters.Info info : DeadLetterReader.read(KAFKA.bootstrapServers(), expectedCount)) {
            got.merge(info.reason(), 1, Integer::sum);
            assertTrue(info.message().length() > 10, "a reason says why: " + info.message());
        }
        return got;
    }
}
