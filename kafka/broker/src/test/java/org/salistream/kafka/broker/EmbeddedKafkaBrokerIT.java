package org.salistream.kafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.ProcedureIdSerde;
import org.salistream.kafka.RecordsRead;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.Topics;

/** Lifecycle of the embedded broker: start, answer, stop cleanly, keep a given directory across restarts. */
class EmbeddedKafkaBrokerIT {

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    @Test
    void theBrokerAcceptsTheLargestRecordAnyTopicAllows() {
        // moved here from kafka's TopicSettingsTest when the broker left the contract module
        int dlq = Integer.parseInt(
                TopicSettings.defaults().configsFor(Topics.FRAMES_DLQ).get("max.message.bytes"));
        assertTrue(
                EmbeddedKafkaBroker.DEFAULT_MESSAGE_MAX_BYTES >= dlq,
                "the embedded broker must allow the largest topic limit");
    }

    @Test
    void aStartedBrokerAnswersThenLeavesNoThreadsAndNoFilesBehind() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        long t0 = System.nanoTime();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
        long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Path dir = broker.dataDir();
        try {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            assertTrue(
                    Files.exists(dir.resolve("metadata").resolve("meta.properties")),
                    "formatted like kafka-storage format");
            try (Admin admin = Admin.create(ClientConfigs.admin(broker.bootstrapServers()))) {
                assertEquals(
                        broker.clusterId(), admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS));
                assertEquals(
                        1,
                        admin.describeCluster()
                                .nodes()
                                .get(10, TimeUnit.SECONDS)
                                .size());
            }
        } finally {
            broker.close();
        }
        System.out.println("embedded broker started in " + startMillis + " ms");
        assertFalse(Files.exists(dir), "the temporary data directory is deleted on close");
        assertFalse(broker.isRunning());
        // Shutdown joins the server's threads, but give stragglers (client I/O threads) a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<Thread> left;
        do {
            left = liveNonDaemonThreads();
            left.removeAll(before);
        } while (!left.isEmpty() && System.nanoTime() < deadline && sleep(100));
        assertTrue(left.isEmpty(), "non-daemon threads left after close: " + left);
    }

    @Test
    void aGivenDataDirectoryKeepsItsClusterIdTopicsAndRecordsAcrossRestarts(@TempDir Path dir) throws Exception {
        String clusterId;
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
            clusterId = broker.clusterId();
            TopicAdmin.ensureTopics(broker.bootstrapServers(), TopicSettings.defaults());
            Properties p = ClientConfigs.producer(broker.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.ALERTS, ProcedureIdSerde.encode("kept"), new byte[] {42}))
                        .get(10, TimeUnit.SECONDS);
            }
        }
        assertTrue(Files.exists(dir.resolve("data")), "a given directory is kept on close");
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
            assertEquals(clusterId, broker.clusterId());
            Map<String, TopicAdmin.Outcome> again =
                    TopicAdmin.ensureTopics(broker.bootstrapServers(), TopicSettings.defaults());
            again.values().forEach(o -> assertEquals(TopicAdmin.Outcome.UNCHANGED, o, again::toString));
            assertEquals(
                    1,
                    RecordsRead.until(
                                    broker.bootstrapServers(),
                                    Topics.ALERTS,
                                    "read_committed",
                                    RecordsRead.keyStartsWith("kept"),
                                    1,
                                    Duration.ofSeconds(20))
                            .size());
        }
    }

    @Test
    void aFeatureLevelChosenAtFormatTimeIsTheClustersLevel() throws Exception {
        // Kafka 4.2 formats new clusters with transaction.version=2; a Flink sink that needs the old protocol can ask
        // for 1.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .featureLevel("transaction.version", (short) 1)
                        .build()
                        .start();
                Admin admin = Admin.create(ClientConfigs.admin(broker.bootstrapServers()))) {
            assertEquals(
                    1,
                    admin.describeFeatures()
                            .featureMetadata()
                            .get(10, TimeUnit.SECONDS)
                            .finalizedFeatures()
                            .get("transaction.version")
                            .maxVersionLevel());
        }
    }

    @Test
    void aBusyPortIsReportedWithThePortInTheMessage() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            EmbeddedKafkaBroker broker =
                    EmbeddedKafkaBroker.builder().port(busy.getLocalPort()).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, broker::start);
            assertTrue(e.getMessage().contains("port " + busy.getLocalPort()), e.getMessage());
            assertFalse(broker.isRunning());
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
