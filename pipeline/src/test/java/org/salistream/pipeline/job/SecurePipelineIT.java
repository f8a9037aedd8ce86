package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.LogIds;
import org.salistream.kafka.MaskConsumer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.TopicReadout;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.broker.EmbeddedKafkaBroker;
import org.salistream.kafka.broker.security.SecureBrokerSetup;
import org.salistream.kafka.security.AccessPolicy;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.testing.CapturedLogs;
import org.salistream.pipeline.testing.JobHarness;
import org.salistream.pipeline.testing.Procedures;

/**
 * The pipeline end to end under SASL_SSL: the job (MiniCluster) runs as the {@code pipeline} user from its
 * client file, the frames come from the {@code gateway} user, the masks are read by the {@code viewer}, and
 * they equal the offline masks. Meanwhile every log line of the JVM at INFO is captured: the procedure id
 * never appears in it.
 */
class SecurePipelineIT {

    /** Looks like what a gateway might build from an accession number: it must never reach a log. */
    private static final String PROCEDURE = "ACC-20241125-4711-colonoscopy";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    @TempDir
    Path dir;

    @Test
    void theJobRunsUnderSaslSslWithItsOwnUserAndNoLogLineNamesTheProcedure() throws Exception {
        SecureBrokerSetup secure = SecureBrokerSetup.prepare(dir.resolve("secure"));
        String logs;
        TopicReadout<MaskEnvelope> masks;
        List<byte[]> frames = Procedures.frames(PROCEDURE, 4, FrameHeaders.PNG);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .security(secure.brokerSecurity())
                .build()
                .start()) {
            secure.configure(broker, TopicSettings.defaults(), Duration.ofSeconds(60));
            PipelineConfig config = PipelineConfig.load(
                    null,
                    secure.clientProperties(AccessPolicy.PIPELINE),
                    JobHarness.config(broker.bootstrapServers()).asMap());
            assertEquals("SASL_SSL", config.kafkaConnection().securityProtocol());
            try (CapturedLogs captured = CapturedLogs.atInfo()) {
                JobClient job = JobHarness.start(config);
                try {
                    KafkaConnection gateway = KafkaConnection.load(null, secure.clientProperties(AccessPolicy.GATEWAY));
                    try (FrameProducer producer = new FrameProducer(gateway, TopicSettings.defaults())) {
                        Procedures.sendInterleaved(
                                producer, Map.of(PROCEDURE, frames), Map.of(PROCEDURE, FrameHeaders.PNG));
                    }
                    KafkaConnection viewer = KafkaConnection.load(null, secure.clientProperties(AccessPolicy.VIEWER));
                    try (MaskConsumer consumer = MaskConsumer.create(viewer, true)) {
                        masks = consumer.untilEnded(List.of(PROCEDURE), Duration.ofMinutes(3));
                    }
                } finally {
                    job.cancel().get();
                }
                logs = captured.text();
            }
        }
        assertFalse(masks.timedOut(), "masks come out under SASL_SSL: " + masks);
        Procedures.assertOfflineMasks(Map.of(PROCEDURE, frames), masks, "under SASL_SSL");
        assertTrue(logs.contains("Started job"), "the capture saw the job's own INFO lines");
        assertTrue(
                logs.length() > 10_000,
                "the capture saw Flink's and Kafka's INFO lines too: " + logs.length() + " chars");
        assertFalse(
                logs.contains(PROCEDURE),
                "a log line names the procedure: "
                        + logs.lines()
                                .filter(l -> l.contains(PROCEDURE))
                                .findFirst()
                                .orElse(""));
        assertFalse(logs.contains("4711"), "a log line shows part of the procedure id");
        assertFalse(logs.contains(secure.password(AccessPolicy.PIPELINE)), "a log line shows the pipeline's password");
        assertTrue(LogIds.procedure(PROCEDURE).startsWith("proc#"));
    }
}
