package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.AlertConsumer;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.MaskConsumer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.MaskEnvelopeSerde;
import org.salistream.kafka.ProcedureIdSerde;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicReadout;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.Topics;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;
import org.salistream.pipeline.cluster.JavaProcess;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.testing.ClusterFixture;
import org.salistream.pipeline.testing.Procedures;
import org.salistream.pipeline.testing.RunMain;
import org.salistream.pipeline.testing.TestModels;

/**
 * The single-node {@code sali run} process killed with SIGKILL in the middle of two procedures and started
 * again with the same {@code checkpoint.dir}: it resumes from the newest retained checkpoint, and the masks
 * and alerts read read-committed are exactly the offline ones, none lost (not even the frame that waited for
 * its neighbour), none duplicated.
 */
class RunResumeIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final int N = 8;

    private static Process run(Path checkpoints, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                JavaProcess.java(),
                "-Xmx768m",
                "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", "")));
        cmd.addAll(JavaProcess.jvmFlags(ClusterFixture.pinnedTorchThreads()));
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                RunMain.class.getName(),
                "--bootstrap",
                KAFKA.bootstrapServers()));
        Map<String, String> keys = new LinkedHashMap<>(TestModels.modelKeys());
        keys.put("checkpoint.dir", checkpoints.toString());
        keys.put("checkpoint.interval", "1s");
        keys.put("batch.max-size", "1");
        keys.put("alerts.threshold", "0");
        keys.put("procedure.idle-timeout", "5m");
        keys.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** Frame indices of every mask record written, read uncommitted (to tell a lost mask from a lost transaction). */
    private static String allWritten() {
        Properties p = ClientConfigs.readCommittedConsumer(KAFKA.bootstrapServers(), null);
        p.put("isolation.level", "read_uncommitted");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.MASKS).stream()
                    .map(pi -> new TopicPartition(Topics.MASKS, pi.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            for (int i = 0; i < 10; i++) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(ProcedureIdSerde.decode(r.key())
                            + (r.value().length == 0
                                    ? "#end"
                                    : "#" + MaskEnvelopeSerde.decode(r.value()).frameIndex()) + "@" + r.offset());
                }
            }
        }
        return out.toString();
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aKilledRunStartedAgainResumesFromItsLastCheckpointWithNothingLostOrDuplicated() throws Exception {
        Map<String, List<byte[]>> procedures = new LinkedHashMap<>();
        procedures.put("resume-a", Procedures.frames("resume-a", N, FrameHeaders.PNG));
        procedures.put("resume-b", Procedures.frames("resume-b", N, FrameHeaders.PNG));
        Map<String, String> types = Map.of("resume-a", FrameHeaders.PNG, "resume-b", FrameHeaders.PNG);
        Path dir = Files.createTempDirectory("sali-run-resume");
        Path log = dir.resolve("run.log");
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), TopicSettings.defaults()); // before anything is sent or read
        Process first = run(dir.resolve("checkpoints"), log);
        Process second = null;
        try {
            try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
                Procedures.sendInterleaved(producer, procedures, types, 0, N / 2, false);
            }
            ClusterFixture.await(
                    "masks committed by the first run (its log: " + log + ")",
                    Duration.ofMinutes(8),
                    () -> Procedures.committedMasks(KAFKA.bootstrapServers(), procedures.keySet()) >= 2);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no cancel, no last checkpoint
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            second = run(dir.resolve("checkpoints"), log);
            try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
                Procedures.sendInterleaved(producer, procedures, types, N / 2, N, true);
            }
            TopicReadout<MaskEnvelope> masks;
            try (MaskConsumer consumer = MaskConsumer.fromBeginning(KAFKA.bootstrapServers())) {
                masks = consumer.untilEnded(procedures.keySet(), Duration.ofMinutes(5));
            }
            assertFalse(
                    masks.timedOut(), "both procedures end after the restart: " + masks + "\n" + Files.readString(log));
            String output = Files.readString(log);
            assertTrue(
                    output.contains("resuming from "), "the second run resumed from a retained checkpoint:\n" + output);
            try {
                Procedures.assertOfflineMasks(procedures, masks, "after SIGKILL and a restart of sali run");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; every mask written, committed or not: " + allWritten(), e);
            }
            TopicReadout<AlertEvent> alerts;
            try (AlertConsumer consumer = AlertConsumer.fromBeginning(KAFKA.bootstrapServers())) {
                consumer.untilCounts(Map.of("resume-a", 2, "resume-b", 2), Duration.ofMinutes(1));
                alerts = consumer.until(r -> false, Duration.ofSeconds(3));
            }
            PipelineConfig config = PipelineConfig.of(Map.of("alerts.threshold", "0"));
            Procedures.assertOfflineAlerts(procedures, config.hysteresis(), alerts, "after SIGKILL and a restart");
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
        org.apache.flink.util.FileUtils.deleteDirectoryQuietly(dir.toFile()); // kept, with the runs' log, when it fails
    }
}
