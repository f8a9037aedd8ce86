package org.salistream.kafka;

import java.util.Properties;

/**
 * Client properties that fit the SALI Stream topics, for our own clients and for Flink's KafkaSource and
 * KafkaSink ({@code setProperties(...)}): idempotent producers with {@code acks=all} and a request size that
 * lets the largest frame through, {@code read_committed} consumers (the pipeline writes masks, alerts and
 * dead letters in transactions; a {@code read_uncommitted} reader would see aborted attempts).
 */
public final class ClientConfigs {

    private ClientConfigs() {
    }

    /** Admin client properties. */
    public static Properties admin(String bootstrapServers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", requireBootstrap(bootstrapServers));
        p.put("client.id", "sali-admin");
        return p;
    }

    /** Idempotent producer for the default {@link TopicSettings}. */
    public static Properties producer(String bootstrapServers) {
        return producer(bootstrapServers, TopicSettings.defaults());
    }

    /**
     * Idempotent producer: {@code enable.idempotence=true}, {@code acks=all}, at most 5 requests in flight
     * (ordering is kept on retries), no compression (JPEG/PNG do not shrink), {@code linger.ms=1} (frames
     * are latency-bound), {@code max.request.size} from the settings.
     */
    public static Properties producer(String bootstrapServers, TopicSettings settings) {
        Properties p = new Properties();
        p.put("bootstrap.servers", requireBootstrap(bootstrapServers));
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("compression.type", "none");
        p.put("linger.ms", "1");
        p.put("max.request.size", Integer.toString(settings.producerMaxRequestBytes()));
        // Room for a couple of seconds of 8 MiB frames from several procedures before send() blocks.
        p.put("buffer.memory", Long.toString(Math.max(64L * 1024 * 1024, 4L * settings.producerMaxRequestBytes())));
        return p;
    }

    /**
     * Consumer with {@code isolation.level=read_committed} and auto-commit off.
     *
     * @param groupId the consumer group, or null for a group-less consumer that assigns partitions itself
     */
    public static Properties readCommittedConsumer(String bootstrapServers, String groupId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", requireBootstrap(bootstrapServers));
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        // A reader must not create a topic with broker defaults just by asking for it.
        p.put("allow.auto.create.topics", "false");
        if (groupId != null) {
            p.put("group.id", groupId);
        }
        return p;
    }

    /**
     * Consumer reading with the given isolation, auto-commit off: {@link #readCommittedConsumer} with
     * {@code isolation.level} set for {@link ReadIsolation#LIVE} (the live screen path).
     *
     * @param groupId the consumer group, or null for a group-less consumer that assigns partitions itself
     */
    public static Properties consumer(String bootstrapServers, String groupId, ReadIsolation isolation) {
        Properties p = readCommittedConsumer(bootstrapServers, groupId);
        p.put("isolation.level", isolation.kafkaValue());
        return p;
    }

    private static String requireBootstrap(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be given as host:port[,host:port...]");
        }
        return bootstrapServers;
    }
}
