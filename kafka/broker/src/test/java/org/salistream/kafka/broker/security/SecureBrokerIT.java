package org.salistream.kafka.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.Topics;
import org.salistream.kafka.broker.EmbeddedKafkaBroker;
import org.salistream.kafka.security.AccessPolicy;

/**
 * The secured embedded broker on a real KRaft node: each user can do what {@link AccessPolicy} grants and
 * nothing else, and a client without a certificate, without a password, or with a wrong one is refused.
 */
class SecureBrokerIT {

    @TempDir
    static Path dir;

    private static SecureBrokerSetup setup;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        setup = SecureBrokerSetup.prepare(dir.resolve("secure"));
        broker = EmbeddedKafkaBroker.builder()
                .security(setup.brokerSecurity())
                .build()
                .start();
        setup.configure(broker, TopicSettings.defaults(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theGatewayMayWriteFramesAndNothingElse() throws Exception {
        try (KafkaProducer<byte[], byte[]> gateway = producer(AccessPolicy.GATEWAY)) {
            assertEquals(
                    Topics.FRAMES,
                    gateway.send(record(Topics.FRAMES))
                            .get(30, TimeUnit.SECONDS)
                            .topic());
            assertRefused(() -> gateway.send(record(Topics.MASKS)).get(30, TimeUnit.SECONDS));
        }
        try (KafkaConsumer<byte[], byte[]> reader = consumer(AccessPolicy.GATEWAY, Topics.FRAMES)) {
            assertRefused(() -> reader.poll(Duration.ofSeconds(10)));
        }
    }

    @Test
    void theViewerMayReadMasksAndAlertsButNeitherFramesNorWrite() throws Exception {
        try (KafkaProducer<byte[], byte[]> pipeline = producer(AccessPolicy.PIPELINE)) {
            pipeline.send(record(Topics.MASKS)).get(30, TimeUnit.SECONDS);
            pipeline.send(record(Topics.ALERTS)).get(30, TimeUnit.SECONDS);
        }
        for (String topic : List.of(Topics.MASKS, Topics.ALERTS)) {
            try (KafkaConsumer<byte[], byte[]> viewer = consumer(AccessPolicy.VIEWER, topic)) {
                assertTrue(pollSome(viewer, Duration.ofSeconds(30)) > 0, "the viewer reads " + topic);
            }
        }
        try (KafkaConsumer<byte[], byte[]> viewer = consumer(AccessPolicy.VIEWER, Topics.FRAMES)) {
            assertRefused(() -> viewer.poll(Duration.ofSeconds(10)));
        }
        try (KafkaProducer<byte[], byte[]> viewer = producer(AccessPolicy.VIEWER)) {
            assertRefused(() -> viewer.send(record(Topics.MASKS)).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void anAnonymousClientAWrongPasswordAndAMissingCertificateAreRefused() throws Exception {
        Properties gateway = clientProperties(AccessPolicy.GATEWAY);

        Properties wrongPassword = new Properties();
        wrongPassword.putAll(gateway);
        wrongPassword.put(
                "sasl.jaas.config",
                gateway.getProperty("sasl.jaas.config")
                        .replace(setup.password(AccessPolicy.GATEWAY), "not-the-password"));
        assertInstanceOf(SaslAuthenticationException.class, describeClusterFailure(wrongPassword));

        Properties noCertificate = new Properties();
        noCertificate.putAll(gateway);
        List.of("ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password")
                .forEach(noCertificate::remove);
        assertInstanceOf(SslAuthenticationException.class, describeClusterFailure(noCertificate));

        Properties anonymousTls = new Properties();
        anonymousTls.put("security.protocol", "SSL");
        anonymousTls.put("ssl.truststore.type", "PEM");
        anonymousTls.put("ssl.truststore.location", setup.caCertificate().toString());
        assertInstanceOf(SslAuthenticationException.class, describeClusterFailure(anonymousTls));

        // A plaintext client gets no answer at all from a TLS port: its request times out.
        assertInstanceOf(
                org.apache.kafka.common.errors.TimeoutException.class, describeClusterFailure(new Properties()));
    }

    @Test
    void theMaterialIsReusedAndItsSecretsAreOwnerOnly() throws Exception {
        SecureBrokerSetup again = SecureBrokerSetup.prepare(dir.resolve("secure"));
        assertEquals(setup.password(AccessPolicy.VIEWER), again.password(AccessPolicy.VIEWER));
        for (String f : List.of(
                "secrets.properties", "broker.p12", "viewer.properties", "viewer-key.pem", "viewer.kcat.conf")) {
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(dir.resolve("secure").resolve(f))),
                    f);
        }
        assertTrue(Files.readString(setup.kcatConfig(AccessPolicy.VIEWER)).contains("sasl.username=viewer"));
    }

    private static Properties clientProperties(String user) throws Exception {
        return ClientConfigs.connection(KafkaConnection.load(null, setup.clientProperties(user)));
    }

    private static KafkaProducer<byte[], byte[]> producer(String user) throws Exception {
        Properties p = ClientConfigs.producer(
                KafkaConnection.load(null, setup.clientProperties(user)), TopicSettings.defaults());
        p.put("max.block.ms", "15000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String user, String topic) throws Exception {
        Properties p =
                ClientConfigs.readCommittedConsumer(KafkaConnection.load(null, setup.clientProperties(user)), null);
        KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < TopicSettings.defaults().partitionsOf(topic); i++) {
            partitions.add(new TopicPartition(topic, i));
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return c;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic) {
        return new ProducerRecord<>(topic, "secure-proc".getBytes(), new byte[] {1, 2, 3});
    }

    private static int pollSome(KafkaConsumer<byte[], byte[]> c, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int n = 0;
        while (n == 0 && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                n++;
            }
        }
        return n;
    }

    /** The cause of a failed metadata request of a client with {@code props} (secured port, short timeouts). */
    private static Throwable describeClusterFailure(Properties props) {
        Properties p = new Properties();
        p.putAll(props);
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("request.timeout.ms", "3000");
        p.put("default.api.timeout.ms", "6000");
        try (Admin admin = Admin.create(p)) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS),
                    "the broker must refuse " + props.keySet());
            return e.getCause();
        }
    }

    /**
     * Runs an action that the broker must refuse for lack of an ACL: a topic authorization error, or for a
     * producer without any write grant the cluster authorization error of its idempotent session.
     */
    private static void assertRefused(ThrowingAction action) {
        Exception e = assertThrows(Exception.class, action::run);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TopicAuthorizationException || t instanceof ClusterAuthorizationException) {
                return;
            }
        }
        throw new AssertionError("expected an authorization refusal, got " + e, e);
    }

    private interface ThrowingAction {
        void run() throws Exception;
    }
}
