package org.salistream.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.Topics;
import org.salistream.model.ModelConfig;
import org.salistream.model.NeighborMode;
import org.salistream.model.pvt.PvtV2Config;

/** The job configuration: defaults, refusal of unknown keys and bad values (naming the key), precedence. */
class PipelineConfigTest {

    @Test
    void theDefaultsAreValidAndArePublishedSali() {
        PipelineConfig c = PipelineConfig.of(Map.of());
        assertEquals(PipelineConfig.DEFAULTS.keySet(), c.keys());
        assertEquals(ModelConfig.published(), c.model());
        assertNull(c.weights(), "untrained unless weights are named");
        assertNull(c.checkpointDir());
        assertEquals(4, c.batchMaxSize());
        assertEquals(Duration.ofMillis(20), c.batchMaxWait());
        assertEquals(Duration.ofSeconds(30), c.idleTimeout());
        assertEquals(new AlertEvent.Hysteresis(3, 3, 2, 0.99f), c.hysteresis()); // tuned on training data
        assertTrue(c.exactlyOnce());
        assertEquals("committed-or-earliest", c.startingOffsets());
        assertEquals(Topics.FRAMES, c.get("kafka.topics.frames"));
        assertEquals(1, c.parallelism());
        assertEquals(128, c.maxParallelism());
        assertEquals("hashmap", c.stateBackend());
        assertEquals("exponential-delay", c.restartStrategy());
        assertEquals(3, c.maxModelFailures());
        assertEquals(4096 * 4096, c.maxFramePixels());
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownKeysListed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PipelineConfig.of(Map.of("batch.max-szie", "8")));
        assertTrue(e.getMessage().contains("'batch.max-szie'"), e.getMessage());
        assertTrue(e.getMessage().contains("batch.max-size"), "lists the known keys: " + e.getMessage());
        assertTrue(e.getMessage().contains("alerts.appear-k"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> PipelineConfig.of(Map.of()).get("no.such-key"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "batch.max-size|-1",
                "batch.max-size|0",
                "batch.max-size|four",
                "mask.threshold|1.5",
                "mask.threshold|-0.5",
                "mask.min-area|0",
                "alerts.threshold|1.5",
                "alerts.appear-k|0",
                "batch.max-wait|soon",
                "batch.max-wait|-5ms",
                "procedure.idle-timeout|30 parsecs",
                "procedure.idle-timeout|1e400s",
                "checkpoint.interval|2h",
                "procedure.max-frame-bytes|9999999999",
                "kafka.delivery|twice",
                "kafka.starting-offsets|yesterday",
                "model.size|300",
                "model.size|big",
                "model.backbone|b9",
                "model.neighbor|sideways",
                "model.memory.length|0",
                "job.parallelism|0",
                "job.max-parallelism|0",
                "state.backend|memory",
                "restart.strategy|fixed-delay",
                "restart.initial-backoff|soon",
                "procedure.max-model-failures|0",
                "procedure.max-frame-pixels|-1",
                "batch.live-window|-1s",
            })
    void aBadValueFailsNamingItsKey(String key, String value) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PipelineConfig.of(Map.of(key, value)));
        assertTrue(e.getMessage().contains(key), "'" + e.getMessage() + "' should name " + key);
    }

    @Test
    void aModelSizeErrorNamesTheKeyAndTheRule() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PipelineConfig.of(Map.of("model.size", "300")));
        assertTrue(e.getMessage().contains("model.size=300"), e.getMessage());
        assertTrue(e.getMessage().contains("multiple of 32"), e.getMessage());
    }

    @Test
    void anAlertWindowSmallerThanKIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PipelineConfig.of(Map.of("alerts.appear-k", "6", "alerts.appear-n", "5")));
        assertTrue(e.getMessage().startsWith("alerts.*"), e.getMessage());
        assertTrue(e.getMessage().contains("k <= n"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({
        "20ms, 20",
        "30s, 30000",
        "1.5s, 1500",
        "5m, 300000",
        "250, 250",
        "0, 0",
        "' 40 MS ', 40",
    })
    void durationsAcceptMillisecondsSecondsMinutesAndPlainNumbers(String text, long millis) {
        assertEquals(
                Duration.ofMillis(millis),
                PipelineConfig.of(Map.of("batch.max-wait", text)).batchMaxWait());
    }

    @Test
    void thePropertiesFileOverridesDefaultsAndOverridesOverrideTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("job.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "# a job file",
                        "batch.max-size = 8",
                        "mask.threshold=0.3",
                        "procedure.idle-timeout=5m",
                        ""));
        PipelineConfig c = PipelineConfig.load(file, Map.of("batch.max-size", "2"));
        assertEquals(2, c.batchMaxSize(), "override over file");
        assertEquals(0.3f, c.maskThreshold(), "file over default");
        assertEquals(Duration.ofMinutes(5), c.idleTimeout());
        assertEquals(Duration.ofMillis(20), c.batchMaxWait(), "default where neither says");

        PipelineConfig noFile = PipelineConfig.load(null, Map.of("mask.threshold", "0.7"));
        assertEquals(0.7f, noFile.maskThreshold());

        PipelineConfig more = c.with("batch.max-size", "3");
        assertEquals(3, more.batchMaxSize());
        assertEquals(0.3f, more.maskThreshold(), "with() keeps the rest");
        assertEquals(2, c.batchMaxSize(), "the original is unchanged");
    }

    @Test
    void anUnknownKeyInThePropertiesFileIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "mask.treshold=0.4\n");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PipelineConfig.load(file, Map.of()));
        assertTrue(e.getMessage().contains("mask.treshold"), e.getMessage());
    }

    @Test
    void aMissingPropertiesFileIsAnIoError(@TempDir Path dir) {
        assertThrows(IOException.class, () -> PipelineConfig.load(dir.resolve("absent.properties"), Map.of()));
    }

    @Test
    void theModelReflectsTheModelKeys() {
        PipelineConfig c = PipelineConfig.of(Map.of(
                "model.backbone",
                "b0",
                "model.size",
                "256",
                "model.memory.freq",
                "2",
                "model.memory.length",
                "3",
                "model.memory.top-k",
                "10",
                "model.neighbor",
                "previous",
                "model.weights",
                "/tmp/w.pth"));
        ModelConfig m = c.model();
        assertEquals(PvtV2Config.B0, m.backbone());
        assertEquals(256, m.size());
        assertEquals(2, m.memFreq());
        assertEquals(3, m.memLength());
        assertEquals(10, m.topK());
        assertEquals(NeighborMode.PREVIOUS, m.neighbor());
        assertEquals(Path.of("/tmp/w.pth"), c.weights());
        assertEquals(
                ModelConfig.published()
                        .withBackbone(PvtV2Config.B0)
                        .withSize(256)
                        .withMemory(2, 3, 10)
                        .withNeighbor(NeighborMode.PREVIOUS),
                m);
    }

    @Test
    void theTopicsAreTypedFromTheTopicKeys() {
        PipelineConfig c = PipelineConfig.of(Map.of("kafka.topics.masks", "ward3.masks"));
        assertEquals(
                List.of("frames", "ward3.masks", "alerts", "frames.dlq"),
                c.topics().names());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> PipelineConfig.of(Map.of("kafka.topics.frames", "a b")));
        assertTrue(e.getMessage().contains("kafka.topics.frames"), e.getMessage());
    }

    @Test
    void theDeliveryKeyChoosesAtLeastOnce() {
        assertFalse(PipelineConfig.of(Map.of("kafka.delivery", "at-least-once")).exactlyOnce());
    }

    @Test
    void valuesAreTrimmedAndTheTextFormListsEveryKey() {
        PipelineConfig c = PipelineConfig.of(Map.of("batch.max-size", "  6 "));
        assertEquals(6, c.batchMaxSize());
        assertEquals("6", c.get("batch.max-size"));
        String text = c.toString();
        for (String k : PipelineConfig.DEFAULTS.keySet()) {
            assertTrue(text.contains(k + "="), k);
        }
    }

    @Test
    void kafkaClientKeysReachTheConnectionAndTheirSecretsAreHidden(@TempDir Path dir) throws IOException {
        Path client = dir.resolve("pipeline.properties");
        Files.writeString(
                client,
                "bootstrap.servers=kafka-1:9093\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=x required username=\"pipeline\" password=\"pw-1\";\n");
        PipelineConfig c = PipelineConfig.load(null, client, Map.of("kafka.client.client.id", "sali-job"));
        assertEquals("kafka-1:9093", c.kafkaConnection().bootstrapServers());
        assertEquals("SASL_SSL", c.kafkaConnection().properties().get("security.protocol"));
        assertEquals("sali-job", c.kafkaConnection().properties().get("client.id"));
        assertEquals("SASL_SSL", c.get("kafka.client.security.protocol"));
        assertFalse(c.toString().contains("pw-1"), c.toString());
        assertTrue(c.toString().contains("kafka.client.sasl.jaas.config=[hidden]"), c.toString());
        IllegalArgumentException fixed = assertThrows(
                IllegalArgumentException.class,
                () -> PipelineConfig.of(Map.of("kafka.client.isolation.level", "read_uncommitted")));
        assertTrue(fixed.getMessage().contains("'isolation.level'"), fixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PipelineConfig.of(Map.of("kafka.client.", "x")));
    }

    @Test
    void topicKeysGiveTheSettingsOfMissingTopicsAndTheirNames() {
        PipelineConfig c = PipelineConfig.of(Map.of(
                "kafka.topics.partitions",
                "8",
                "kafka.topics.replication-factor",
                "3",
                "kafka.topics.min-insync-replicas",
                "2",
                "kafka.topics.masks",
                "site2.masks"));
        assertEquals(8, c.topicSettings().partitions());
        assertEquals(3, c.topicSettings().replicationFactor());
        assertEquals(2, c.topicSettings().minInsyncReplicas());
        assertEquals("site2.masks", c.topics().masks().name());
        assertTrue(c.createMissingTopics());
        assertThrows(
                IllegalArgumentException.class,
                () -> PipelineConfig.of(Map.of("kafka.topics.min-insync-replicas", "2")));
        assertThrows(
                IllegalArgumentException.class, () -> PipelineConfig.of(Map.of("kafka.topics.create-missing", "yes")));
    }

    @Test
    void aCheckpointUriKeepsItsSchemeAndAPathBecomesAFileUri() {
        assertEquals(
                "s3://sali-flink/checkpoints",
                PipelineConfig.of(Map.of("checkpoint.dir", "s3://sali-flink/checkpoints"))
                        .checkpointUri());
        assertEquals(
                Path.of("/tmp/cp").toUri().toString(),
                PipelineConfig.of(Map.of("checkpoint.dir", "/tmp/cp")).checkpointUri());
        assertNull(PipelineConfig.of(Map.of()).checkpointUri());
    }
}
