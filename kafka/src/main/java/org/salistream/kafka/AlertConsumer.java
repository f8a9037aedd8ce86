package org.salistream.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Reads the {@code alerts} topic with {@code isolation.level=read_committed} until a condition holds:
 * N alerts per procedure, any predicate, or a timeout. Group-less (assigns every partition, commits
 * nothing). Not thread-safe.
 */
public final class AlertConsumer implements AutoCloseable {

    private final KeyedTopicReader<AlertEvent> reader;

    private AlertConsumer(
            KafkaConnection connection, Topic<String, AlertEvent> topic, boolean fromBeginning, Properties overrides) {
        this.reader = new KeyedTopicReader<>(connection, topic, fromBeginning, overrides);
    }

    /** Reads every alert still in the topic. */
    public static AlertConsumer fromBeginning(String bootstrapServers) {
        return new AlertConsumer(
                KafkaConnection.to(bootstrapServers), SaliTopics.defaults().alerts(), true, new Properties());
    }

    /** Reads only alerts committed after this call. */
    public static AlertConsumer fromNow(String bootstrapServers) {
        return new AlertConsumer(
                KafkaConnection.to(bootstrapServers), SaliTopics.defaults().alerts(), false, new Properties());
    }

    /** With extra consumer properties; {@code isolation.level} should stay read_committed. */
    public static AlertConsumer create(String bootstrapServers, boolean fromBeginning, Properties overrides) {
        return new AlertConsumer(
                KafkaConnection.to(bootstrapServers), SaliTopics.defaults().alerts(), fromBeginning, overrides);
    }

    /** Through a connection (bootstrap servers plus the deployment's TLS/SASL client properties). */
    public static AlertConsumer create(KafkaConnection connection, boolean fromBeginning) {
        return new AlertConsumer(connection, SaliTopics.defaults().alerts(), fromBeginning, new Properties());
    }

    /**
     * Reads the given alerts topic (from the deployment's {@link SaliTopics}) through a connection, with extra
     * consumer properties ({@code isolation.level} among them for the live path).
     */
    public static AlertConsumer create(
            KafkaConnection connection, Topic<String, AlertEvent> topic, boolean fromBeginning, Properties overrides) {
        return new AlertConsumer(connection, topic, fromBeginning, overrides);
    }

    /** Reads until every listed procedure has at least its number of alerts. */
    public TopicReadout<AlertEvent> untilCounts(Map<String, Integer> alertsPerProcedure, Duration timeout) {
        return until(
                r -> alertsPerProcedure.entrySet().stream().allMatch(e -> r.count(e.getKey()) >= e.getValue()),
                timeout);
    }

    /** Reads until {@code condition} holds or {@code timeout} passes (see {@link TopicReadout#timedOut()}). */
    public TopicReadout<AlertEvent> until(Predicate<TopicReadout<AlertEvent>> condition, Duration timeout) {
        return reader.readUntil(condition, timeout);
    }

    @Override
    public void close() {
        reader.close();
    }
}
