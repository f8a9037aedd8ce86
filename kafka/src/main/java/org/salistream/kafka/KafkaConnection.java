package org.salistream.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a Kafka cluster is and how to talk to it: the bootstrap servers plus the client properties of a
 * deployment (TLS, SASL, client ids, timeouts), usually read from a file ({@code --kafka-config FILE}, or
 * the job's {@code kafka.client.*} keys). {@link ClientConfigs} builds every client's properties from it, so
 * a secured cluster needs nothing else. Immutable and serializable (Flink ships it with the job).
 *
 * <p>Properties that carry the pipeline's guarantees (serializers, {@code acks}, idempotence,
 * {@code isolation.level}, offsets and transactions) are set by {@link ClientConfigs} and refused here, so
 * that a client file cannot quietly turn exactly-once into at-most-once. Secrets are hidden from
 * {@link #toString()}.
 *
 * <pre>{@code
 * # gateway.properties (written by `sali broker --secure DIR`, or by hand for a real cluster)
 * bootstrap.servers=kafka-1:9093
 * security.protocol=SASL_SSL
 * sasl.mechanism=SCRAM-SHA-512
 * sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="gateway" password="...";
 * ssl.truststore.type=PEM
 * ssl.truststore.location=/etc/sali/ca.pem
 * }</pre>
 */
public final class KafkaConnection implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Client properties a file may not set: {@link ClientConfigs} fixes them for the pipeline's guarantees. */
    public static final Set<String> FIXED = Set.of(
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer",
            "enable.idempotence",
            "acks",
            "isolation.level",
            "enable.auto.commit",
            "transactional.id",
            "group.id",
            "allow.auto.create.topics");

    private final String bootstrapServers;
    private final Map<String, String> properties;

    private KafkaConnection(String bootstrapServers, Map<String, String> properties) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be given as host:port[,host:port...]"
                    + " (--bootstrap, kafka.bootstrap-servers or bootstrap.servers in the client file)");
        }
        TreeMap<String, String> p = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (FIXED.contains(k)) {
                throw new IllegalArgumentException("the Kafka client property '" + k + "' is set by SALI Stream"
                        + " (it carries the pipeline's delivery guarantees); remove it from the client configuration");
            }
            if (!k.equals("bootstrap.servers")) {
                p.put(k, v);
            }
        });
        this.bootstrapServers = bootstrapServers.trim();
        this.properties = Collections.unmodifiableMap(p);
    }

    /** A plaintext connection without further properties (the embedded broker, a development box). */
    public static KafkaConnection to(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** A connection with client properties (e.g. {@code security.protocol}); {@code bootstrap.servers} among them is ignored. */
    public static KafkaConnection of(String bootstrapServers, Map<String, String> properties) {
        return new KafkaConnection(bootstrapServers, properties);
    }

    /**
     * A connection from a client properties file: {@code bootstrapServers} when given, else the file's
     * {@code bootstrap.servers}.
     *
     * @param bootstrapServers the bootstrap servers, or null to take the file's
     * @param file a Java properties file of Kafka client properties, or null for none
     * @throws IOException when the file cannot be read
     */
    public static KafkaConnection load(String bootstrapServers, Path file) throws IOException {
        Map<String, String> props = file == null ? Map.of() : readProperties(file);
        String bootstrap = bootstrapServers != null ? bootstrapServers : props.get("bootstrap.servers");
        try {
            return new KafkaConnection(bootstrap, props);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((file == null ? "" : file + ": ") + e.getMessage(), e);
        }
    }

    /** The properties of a Java properties file, as a map. */
    public static Map<String, String> readProperties(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such Kafka client configuration file: " + file);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }

    /** The bootstrap servers, {@code host:port[,host:port...]}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The client properties, without {@code bootstrap.servers}, sorted. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The same properties with other bootstrap servers. */
    public KafkaConnection withBootstrapServers(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, properties);
    }

    /** {@code security.protocol}, PLAINTEXT when unset. */
    public String securityProtocol() {
        return properties.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT);
    }

    /** Whether a property holds a secret (a password, a JAAS line with one, a key) and must not be shown. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.endsWith("jaas.config")
                || k.endsWith(".key")
                || k.contains("keystore.key")
                || k.contains("credentials");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaConnection c
                && c.bootstrapServers.equals(bootstrapServers)
                && c.properties.equals(properties);
    }

    @Override
    public int hashCode() {
        return bootstrapServers.hashCode() * 31 + properties.hashCode();
    }

    /** The bootstrap servers and properties, secrets hidden. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(bootstrapServers).append(" (").append(securityProtocol());
        properties.forEach((k, v) -> {
            if (!k.equals("security.protocol")) {
                b.append(", ").append(k).append('=').append(isSecret(k) ? "[hidden]" : v);
            }
        });
        return b.append(')').toString();
    }
}
