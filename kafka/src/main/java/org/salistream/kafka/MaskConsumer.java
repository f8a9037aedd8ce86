package org.salistream.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Reads the {@code masks} topic with {@code isolation.level=read_committed} (only masks of committed
 * pipeline transactions) until a condition holds: N masks per procedure, the end-of-procedure marker of
 * some procedures, any predicate, or a timeout. Group-less: it assigns every partition itself and
 * commits nothing, so any number of them can read the same topic. Not thread-safe.
 *
 * <pre>{@code
 * try (MaskConsumer masks = MaskConsumer.fromBeginning(bootstrap)) {
 *     TopicReadout<MaskEnvelope> r = masks.untilEnded(List.of("proc-1"), Duration.ofMinutes(2));
 *     r.values("proc-1").forEach(m -> System.out.println(m.frameIndex() + " " + m.latencyMillis() + " ms"));
 * }
 * }</pre>
 */
public final class MaskConsumer implements AutoCloseable {

    private final KeyedTopicReader<MaskEnvelope> reader;

    private MaskConsumer(
            KafkaConnection connection,
            Topic<String, MaskEnvelope> topic,
            boolean fromBeginning,
            Properties overrides) {
        this.reader = new KeyedTopicReader<>(connection, topic, fromBeginning, overrides);
    }

    /** Reads every mask still in the topic. */
    public static MaskConsumer fromBeginning(String bootstrapServers) {
        return new MaskConsumer(
                KafkaConnection.to(bootstrapServers), SaliTopics.defaults().masks(), true, new Properties());
    }

    /** Reads only masks committed after this call. */
    public static MaskConsumer fromNow(String bootstrapServers) {
        return new MaskConsumer(
                KafkaConnection.to(bootstrapServers), SaliTopics.defaults().masks(), false, new Properties());
    }

    /** With extra consumer properties (security settings, client.id); {@code isolation.level} should stay read_committed. */
    public static MaskConsumer create(String bootstrapServers, boolean fromBeginning, Properties overrides) {
        return new MaskConsumer(
                KafkaConnection.to(bootstrapServers), SaliTopics.defaults().masks(), fromBeginning, overrides);
    }

    /** Through a connection (bootstrap servers plus the deployment's TLS/SASL client properties). */
    public static MaskConsumer create(KafkaConnection connection, boolean fromBeginning) {
        return new MaskConsumer(connection, SaliTopics.defaults().masks(), fromBeginning, new Properties());
    }

    /**
     * Reads the given masks topic (from the deployment's {@link SaliTopics}) through a connection, with extra
     * consumer properties ({@code isolation.level} among them for the live path).
     */
    public static MaskConsumer create(
            KafkaConnection connection,
            Topic<String, MaskEnvelope> topic,
            boolean fromBeginning,
            Properties overrides) {
        return new MaskConsumer(connection, topic, fromBeginning, overrides);
    }

    /** Reads until every listed procedure has at least its number of masks. */
    public TopicReadout<MaskEnvelope> untilCounts(Map<String, Integer> masksPerProcedure, Duration timeout) {
        return until(
                r -> masksPerProcedure.entrySet().stream().allMatch(e -> r.count(e.getKey()) >= e.getValue()), timeout);
    }

    /** Reads until the end-of-procedure marker of every listed procedure was seen. */
    public TopicReadout<MaskEnvelope> untilEnded(Collection<String> procedureIds, Duration timeout) {
        return until(r -> procedureIds.stream().allMatch(r::ended), timeout);
    }

    /** Reads until {@code condition} holds or {@code timeout} passes (see {@link TopicReadout#timedOut()}). */
    public TopicReadout<MaskEnvelope> until(Predicate<TopicReadout<MaskEnvelope>> condition, Duration timeout) {
        return reader.readUntil(condition, timeout);
    }

    @Override
    public void close() {
        reader.close();
    }
}
