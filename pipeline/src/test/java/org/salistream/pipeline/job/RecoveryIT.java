package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.MaskConsumer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.TopicReadout;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.testing.FaultInjector;
import org.salistream.pipeline.testing.JobHarness;
import org.salistream.pipeline.testing.Procedures;

/**
 * Recovery: the job fails (an injected fault) after a checkpoint taken in the middle of two procedures,
 * restarts from that checkpoint, and its committed output is still exactly the offline masks, none lost,
 * none duplicated.
 */
class RecoveryIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void aFailureMidProcedureRestoresFromTheCheckpointWithNoMaskLostOrDuplicated() throws Exception {
        int n = 10;
        Map<String, List<byte[]>> procedures = new LinkedHashMap<>();
        procedures.put("rec-a", Procedures.frames("rec-a", n, FrameHeaders.PNG));
        procedures.put("rec-b", Procedures.frames("rec-b", n, FrameHeaders.PNG));
        FaultInjector.rearm();
        PipelineConfig config = JobHarness.config(KAFKA.bootstrapServers(), "checkpoint.interval", "300ms");
        JobClient job = JobHarness.start(config, j -> j.withFrameTap(new FaultInjector(8)));
        try {
            try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
                Procedures.sendInterleaved(
                        producer, procedures, Map.of("rec-a", FrameHeaders.PNG, "rec-b", FrameHeaders.PNG));
            }
            TopicReadout<MaskEnvelope> masks;
            try (MaskConsumer consumer = MaskConsumer.fromBeginning(KAFKA.bootstrapServers())) {
                masks = consumer.untilEnded(procedures.keySet(), Duration.ofMinutes(4));
            }
            assertFalse(masks.timedOut(), "masks of both procedures arrive after the restart: " + masks);
            assertTrue(FaultInjector.fired(), "the fault was injected");
            Procedures.assertOfflineMasks(procedures, masks, "after recovery (no mask lost or duplicated)");
        } finally {
            job.cancel().get();
        }
    }
}
