package org.salistream.kafka;

import java.util.Properties;

/**
 * Client properties that fit the SALI Stream topics, for our own clients and for Flink's KafkaSource and
 * KafkaSink ({@code setProperties(...)}): idempotent producers with {@code acks=all} and a request size that
 * lets the largest frame through, {@code read_committed} consumers (the pipeline writes masks, alerts and
 * dead letters in transactions; a {@code read_uncommitted} reader would see aborted attempts).
 *
 * <p>This is the one place that builds Kafka client properties: every client takes a {@link KafkaConnection}
 * (bootstrap servers plus the deployment's TLS/SASL properties), whose properties are applied on top of these
 * defaults. The {@code String} overloads connect in plaintext.
 */
public final class ClientConfigs {

    private ClientConfigs() {}

    /** Admin client properties, plaintext. */
    public static Properties admin(String bootstrapServers) {
        return admin(KafkaConnection.to(bootstrapServers));
    }

    /** Admin client properties for a connection. */
    public static Properties admin(KafkaConnection connection) {
        Properties p = new Properties();
        p.put("client.id", "sali-admin");
        return withConnection(p, connection);
    }

    /**
     * The connection alone: bootstrap servers and the deployment's client properties, for clients whose other
     * properties are set elsewhere (Flink's KafkaSource and KafkaSink builders).
     */
    public static Properties connection(KafkaConnection connection) {
        return withConnection(new Properties(), connection);
    }

    /** Idempotent producer for the default {@link TopicSettings}, plaintext. */
    public static Properties producer(String bootstrapServers) {
        return producer(bootstrapServers, TopicSettings.defaults());
    }

    /** Idempotent producer for the given settings, plaintext (see {@link #producer(KafkaConnection, TopicSettings)}). */
    public static Properties producer(String bootstrapServers, TopicSettings settings) {
        return producer(KafkaConnection.to(bootstrapServers), settings);
    }

    /**
     * Idempotent producer: {@code enable.idempotence=true}, {@code acks=all}, at most 5 requests in flight
     * (ordering is kept on retries), no compression (JPEG/PNG do not shrink), {@code linger.ms=1} (frames
     * are latency-bound), {@code max.request.size} from the settings.
     */
    public static Properties producer(KafkaConnection connection, TopicSettings settings) {
        Properties p = new Properties();
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("compression.type", "none");
        p.put("linger.ms", "1");
        p.put("max.request.size", Integer.toString(settings.producerMaxRequestBytes()));
        // Room for a couple of seconds of 8 MiB frames from several procedures before send() blocks.
        p.put("buffer.memory", Long.toString(Math.max(64L * 1024 * 1024, 4L * settings.producerMaxRequestBytes())));
        return withConnection(p, connection);
    }

    /**
     * Consumer with {@code isolation.level=read_committed} and auto-commit off.
     *
     * @param groupId the consumer group, or null for a group-less consumer that assigns partitions itself
     */
    public static Properties readCommittedConsumer(String bootstrapServers, String groupId) {
        return readCommittedConsumer(KafkaConnection.to(bootstrapServers), groupId);
    }

    /**
     * Consumer with {@code isolation.level=read_committed} and auto-commit off, for a connection.
     *
     * @param groupId the consumer group, or null for a group-less consumer that assigns partitions itself
     */
    public static Properties readCommittedConsumer(KafkaConnection connection, String groupId) {
        Properties p = new Properties();
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        // A reader must not create a topic with broker defaults just by asking for it.
        p.put("allow.auto.create.topics", "false");
        if (groupId != null) {
            p.put("group.id", groupId);
        }
        return withConnection(p, connection);
    }

    /**
     * Consumer reading with the given isolation, auto-commit off: {@link #readCommittedConsumer} with
     * {@code isolation.level} set for {@link ReadIsolation#LIVE} (the live screen path), plaintext.
     *
     * @param groupId the consumer group, or null for a group-less consumer that assigns partitions itself
     */
    public static Properties consumer(String bootstrapServers, String groupId, ReadIsolation isolation) {
        return consumer(KafkaConnection.to(bootstrapServers), groupId, isolation);
    }

    /** {@link #consumer(String, String, ReadIsolation)} for a connection. */
    public static Properties consumer(KafkaConnection connection, String groupId, ReadIsolation isolation) {
        Properties p = readCommittedConsumer(connection, groupId);
        p.put("isolation.level", isolation.kafkaValue());
        return p;
    }

    /** Adds the bootstrap servers and the connection's properties (which {@link KafkaConnection} keeps off the fixed ones). */
    private static Properties withConnection(Properties p, KafkaConnection connection) {
        p.put("bootstrap.servers", connection.bootstrapServers());
        p.putAll(connection.properties());
        return p;
    }
}
