package org.salistream.kafka.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka 4.2 cluster in this JVM: one KRaft process in combined mode (broker and
 * controller roles), listening on 127.0.0.1 only.
 *
 * <p>It follows what {@code kafka-storage format} and {@code kafka-server-start} do for a one-node
 * cluster (see {@code kafka.tools.StorageTool#runFormatCommand} and {@code KafkaClusterTestKit} in
 * Apache Kafka): the log directory is formatted by {@link Formatter} with a random cluster id and the
 * release's production feature levels, then {@link KafkaRaftServer} is started with a static
 * one-voter quorum ({@code controller.quorum.voters=1@127.0.0.1:<controller port>}).
 *
 * <p>The settings chosen for SALI Stream (one-replica internal topics so that transactions work, large
 * messages, long transaction timeouts for Flink, few threads) are {@link SingleNodeConfig}'s; a secured
 * broker ({@link Builder#security}) replaces its plaintext listeners by {@link EmbeddedBrokerSecurity}'s.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
 *     TopicAdmin.ensureTopics(broker.bootstrapServers(), TopicSettings.defaults());
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** Broker-wide message.max.bytes: the frames topic's own limit plus room, and the limit of auto-created topics. */
    public static final int DEFAULT_MESSAGE_MAX_BYTES = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final int requestedPort;
    private final Path requestedDataDir;
    private final Map<String, String> overrides;
    private final Map<String, Short> featureLevels;
    private final Duration startupTimeout;
    private final EmbeddedBrokerSecurity security;

    private KafkaRaftServer server;
    private Path dataDir;
    private boolean deleteDataDirOnClose;
    private int port;
    private int internalPort;
    private String clusterId;

    private EmbeddedKafkaBroker(Builder builder) {
        this.requestedPort = builder.port;
        this.requestedDataDir = builder.dataDir;
        this.overrides = Map.copyOf(builder.overrides);
        this.featureLevels = Map.copyOf(builder.featureLevels);
        this.startupTimeout = builder.startupTimeout;
        this.security = builder.security;
    }

    /** A builder with the defaults: a free port, a temporary data directory deleted on close. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory (unless it already holds a formatted node), starts the server and waits
     * until a metadata request through the client listener succeeds.
     *
     * @return this broker, started
     * @throws IllegalStateException when already started or when the broker does not become ready in time
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("the broker is already started at " + bootstrapServers());
        }
        long t0 = System.nanoTime();
        if (requestedPort > 0) {
            LoopbackPorts.requireFree(HOST, requestedPort);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce();
                break;
            } catch (RuntimeException | IOException e) {
                Path dir = dataDir;
                closeQuietly();
                // A free port found by probing can be taken by someone else before Kafka binds it: try new ports.
                if (attempt < 3 && LoopbackPorts.isBindFailure(e)) {
                    LOG.warn("port {} or the controller port was taken meanwhile; retrying with other ports", port);
                    continue;
                }
                throw new IllegalStateException(
                        "the embedded Kafka broker did not start (port " + port + ", data in " + dir + "): "
                                + e.getMessage(),
                        e);
            }
        }
        LOG.info(
                "Kafka broker ready at {} in {} ms (cluster {}, data in {})",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                clusterId,
                dataDir);
        return this;
    }

    private void startOnce() throws IOException {
        prepareDataDir();
        port = requestedPort > 0 ? requestedPort : LoopbackPorts.free(HOST);
        int controllerPort = LoopbackPorts.free(HOST);
        Map<String, Object> props =
                SingleNodeConfig.properties(NODE_ID, HOST, port, controllerPort, CONTROLLER_LISTENER, dataDir);
        if (security != null) {
            internalPort = LoopbackPorts.free(HOST);
            props.putAll(security.serverProperties(HOST, port, internalPort, controllerPort, CONTROLLER_LISTENER));
        }
        props.putAll(overrides);
        KafkaConfig config = new KafkaConfig(props, false);
        clusterId = formatIfNeeded(config);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    /** The bootstrap address for clients, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        requireStarted();
        return HOST + ":" + port;
    }

    /** Whether the broker was built with {@link Builder#security} (SASL_SSL clients, ACLs). */
    public boolean isSecure() {
        return security != null;
    }

    /**
     * Admin client properties with super-user rights: plaintext on an open broker; on a secured one the
     * internal mutual-TLS listener with the broker's own certificate (for creating users, ACLs and topics).
     */
    public Properties superUserClientProperties() {
        requireStarted();
        return setupClientProperties();
    }

    private Properties setupClientProperties() {
        Properties p =
                security != null ? security.internalClientProperties(HOST + ":" + internalPort) : new Properties();
        p.putIfAbsent("bootstrap.servers", HOST + ":" + port);
        return p;
    }

    /** The port of the client listener (PLAINTEXT, or SASL_SSL on a secured broker). */
    public int port() {
        requireStarted();
        return port;
    }

    /** The directory holding the metadata log and the topic data. */
    public Path dataDir() {
        requireStarted();
        return dataDir;
    }

    /** The cluster id written into meta.properties when the directory was formatted. */
    public String clusterId() {
        requireStarted();
        return clusterId;
    }

    /** Whether {@link #start()} succeeded and {@link #close()} was not called yet. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the server down, waits for its threads to end and deletes a temporary data directory. */
    @Override
    public synchronized void close() {
        if (server == null && dataDir == null) {
            return;
        }
        long t0 = System.nanoTime();
        closeQuietly();
        LOG.info("Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private void closeQuietly() {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                LOG.warn("Kafka broker shutdown failed: {}", e.toString());
            }
            server = null;
        }
        if (deleteDataDirOnClose && dataDir != null) {
            try {
                Utils.delete(dataDir.toFile());
            } catch (IOException e) {
                LOG.warn("could not delete the broker's temporary directory {}: {}", dataDir, e.toString());
            }
        }
        dataDir = null;
    }

    private void requireStarted() {
        if (server == null) {
            throw new IllegalStateException("the embedded Kafka broker is not started");
        }
    }

    private void prepareDataDir() throws IOException {
        if (requestedDataDir == null) {
            dataDir = Files.createTempDirectory("sali-kafka-");
            deleteDataDirOnClose = true;
        } else {
            dataDir = requestedDataDir.toAbsolutePath();
            Files.createDirectories(dataDir);
            deleteDataDirOnClose = false;
        }
    }

    /** Formats the directories the way {@code kafka-storage format -t <random id>} does; reuses a formatted one. */
    private String formatIfNeeded(KafkaConfig config) throws IOException {
        Path meta = dataDir.resolve("metadata").resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties props = new Properties();
            try (var in = Files.newInputStream(meta)) {
                props.load(in);
            }
            String existing = props.getProperty("cluster.id");
            if (existing == null) {
                throw new IllegalStateException(meta + " has no cluster.id; delete the directory or choose another");
            }
            return existing;
        }
        String id = Uuid.randomUuid().toString();
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(id)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setUnstableFeatureVersionsEnabled(false)
                .setIgnoreFormatted(false)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(config.metadataLogDir());
        featureLevels.forEach(formatter::setFeatureLevel);
        Collection<String> dirs = new TreeSet<>(config.logDirs());
        dirs.add(config.metadataLogDir());
        dirs.forEach(formatter::addDirectory);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting " + dataDir + " failed: " + e.getMessage(), e);
        }
        return id;
    }

    /** Ready means: a metadata request to the client listener answers and lists this node. */
    private void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        Properties props = setupClientProperties();
        props.put("request.timeout.ms", "5000");
        props.put("default.api.timeout.ms", "5000");
        RuntimeException last = null;
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = new IllegalStateException(e.toString(), e);
                }
                sleep(100);
            }
        }
        throw new IllegalStateException(
                "no metadata answer from " + HOST + ":" + port + " within " + startupTimeout.toSeconds() + " s"
                        + (last == null ? "" : " (last error: " + last.getMessage() + ")"),
                last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    /** Options of an {@link EmbeddedKafkaBroker}; every one has a default. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, Short> featureLevels = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private EmbeddedBrokerSecurity security;

        private Builder() {}

        /** Secures every listener: SASL_SSL (SCRAM-SHA-512) for clients, mutual TLS inside, ACLs enforced. */
        public Builder security(EmbeddedBrokerSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** The client listener's port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Where the data lives; kept on close and reused (not reformatted) by the next start. Default: a temp dir deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Any broker property (e.g. {@code auto.create.topics.enable=false}); applied after the defaults. */
        public Builder property(String name, String value) {
            overrides.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A feature level set at format time, as {@code kafka-storage format --feature name=level} (e.g. transaction.version=1). */
        public Builder featureLevel(String feature, short level) {
            featureLevels.put(Objects.requireNonNull(feature, "feature"), level);
            return this;
        }

        /** How long {@link #start()} waits for the broker to answer (default 60 s). */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive, got " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /** The broker, not started yet: call {@link EmbeddedKafkaBroker#start()}. */
        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
