package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.AlertConsumer;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.MaskConsumer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.TopicReadout;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.operators.AlertHysteresis;
import org.salistream.pipeline.testing.JobHarness;
import org.salistream.pipeline.testing.Procedures;

/**
 * The whole job on a real Kafka broker and a Flink MiniCluster: two interleaved procedures in, exactly their
 * masks out (read committed), in frame order, equal to the offline loop, and alerts that follow the rule.
 */
class SegmentationJobIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void twoInterleavedProceduresGiveExactlyTheirOfflineMasksInOrder() throws Exception {
        int n = 7;
        Map<String, List<byte[]>> procedures = new LinkedHashMap<>();
        procedures.put("proc-png", Procedures.frames("proc-png", n, FrameHeaders.PNG));
        procedures.put("proc-jpeg", Procedures.frames("proc-jpeg", n, FrameHeaders.JPEG));
        // Threshold 0: every frame counts as a polyp frame, so the rule must open an alert at the k-th frame
        // and close it at the procedure's end (AlertHysteresisTest covers clips with known polyp frames).
        PipelineConfig config = JobHarness.config(
                KAFKA.bootstrapServers(),
                "alerts.threshold",
                "0",
                "alerts.appear-k",
                "3",
                "alerts.appear-n",
                "5",
                "alerts.clear-m",
                "5");
        JobClient job = JobHarness.start(config);
        try {
            try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
                Procedures.sendInterleaved(
                        producer, procedures, Map.of("proc-png", FrameHeaders.PNG, "proc-jpeg", FrameHeaders.JPEG));
            }
            TopicReadout<MaskEnvelope> masks;
            try (MaskConsumer consumer = MaskConsumer.fromBeginning(KAFKA.bootstrapServers())) {
                masks = consumer.untilEnded(procedures.keySet(), Duration.ofMinutes(4));
            }
            assertFalse(masks.timedOut(), "masks of both procedures arrive: " + masks);
            Map<String, List<String>> expectedAlerts = new LinkedHashMap<>();
            procedures.keySet().forEach(p -> expectedAlerts.put(p, expectedAlerts(config, p, masks.values(p))));
            TopicReadout<AlertEvent> alerts;
            try (AlertConsumer consumer = AlertConsumer.fromBeginning(KAFKA.bootstrapServers())) {
                Map<String, Integer> counts = new LinkedHashMap<>();
                expectedAlerts.forEach((p, a) -> counts.put(p, a.size()));
                alerts = consumer.untilCounts(counts, Duration.ofSeconds(60));
            }
            Procedures.assertOfflineMasks(procedures, masks, "");
            for (String p : procedures.keySet()) {
                assertEquals(List.of("APPEARED@2", "CLEARED@" + (n - 1)), expectedAlerts.get(p));
                assertEquals(
                        expectedAlerts.get(p),
                        alerts.values(p).stream()
                                .map(a -> a.type() + "@" + a.frameIndex())
                                .toList(),
                        "alerts of " + p);
            }
        } finally {
            job.cancel().get();
        }
    }

    /** The alerts the rule gives for the masks' confidences, replayed through the hysteresis on its own. */
    private static List<String> expectedAlerts(PipelineConfig config, String procedure, List<MaskEnvelope> masks) {
        AlertHysteresis rule = new AlertHysteresis(config.hysteresis());
        var state = rule.newState();
        List<String> out = new ArrayList<>();
        for (MaskEnvelope m : masks) {
            rule.observe(state, procedure, m.frameIndex(), m.captureMicros(), m.maxProbability(), null, 0)
                    .ifPresent(a -> out.add(a.type() + "@" + a.frameIndex()));
        }
        rule.end(state, procedure, 0).ifPresent(a -> out.add(a.type() + "@" + a.frameIndex()));
        return out;
    }
}
