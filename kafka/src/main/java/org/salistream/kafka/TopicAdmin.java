package org.salistream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SALI Stream topics on a cluster, through the Kafka Admin API. Three verbs, so that nothing changes a
 * production cluster by accident:
 * <ul>
 *   <li>{@link #inspect}: how each topic differs from the wanted {@link TopicSettings} (read only);</li>
 *   <li>{@link #createMissing}: creates the topics that do not exist and <b>never alters</b> an existing one
 *       (a difference is logged at WARN); what the job and the embedded broker do at start-up;</li>
 *   <li>{@link #apply}: what {@code sali topics --apply} does on an operator's request: creates missing
 *       topics, sets differing configs, adds partitions; never removes partitions or moves replicas.</li>
 * </ul>
 * Topic names come from a deployment's {@link SaliTopics} (the job's {@code kafka.topics.*} keys), or the
 * contract's ({@link SaliTopics#defaults()}).
 */
public final class TopicAdmin {

    /** What was done to one topic. */
    public enum Outcome {
        /** The topic did not exist and was created. */
        CREATED,
        /** The topic existed; {@link #apply} changed some of its configs or partitions. */
        UPDATED,
        /** The topic existed and was left as it is. */
        UNCHANGED
    }

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private TopicAdmin() {}

    /** Creates the missing topics of the contract under their default names, plaintext; never alters existing ones. */
    public static Map<String, Outcome> ensureTopics(String bootstrapServers, TopicSettings settings) {
        return ensureTopics(KafkaConnection.to(bootstrapServers), SaliTopics.defaults(), settings);
    }

    /** Creates the missing ones of a deployment's topics, plaintext; never alters existing ones. */
    public static Map<String, Outcome> ensureTopics(
            String bootstrapServers, SaliTopics topics, TopicSettings settings) {
        return ensureTopics(KafkaConnection.to(bootstrapServers), topics, settings);
    }

    /** Creates the missing ones of a deployment's topics; never alters existing ones (see {@link #createMissing}). */
    public static Map<String, Outcome> ensureTopics(
            KafkaConnection connection, SaliTopics topics, TopicSettings settings) {
        try (Admin admin = Admin.create(ClientConfigs.admin(connection))) {
            return createMissing(admin, settings, topics, DEFAULT_TIMEOUT);
        }
    }

    /** Creates the missing topics of the contract with an existing admin client; never alters existing ones. */
    public static Map<String, Outcome> ensureTopics(Admin admin, TopicSettings settings, Duration timeout) {
        return createMissing(admin, settings, SaliTopics.defaults(), timeout);
    }

    /**
     * How each topic differs from {@code settings}; changes nothing.
     *
     * @param topics the deployment's topics (their names; {@link SaliTopics#defaults()} for the contract's)
     */
    public static List<TopicDrift> inspect(Admin admin, TopicSettings settings, SaliTopics topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return call("inspect the SALI Stream topics", timeout, () -> {
            Set<String> existing = admin.listTopics().names().get(remaining(deadline), TimeUnit.NANOSECONDS);
            List<TopicDrift> drifts = new ArrayList<>();
            for (String topic : Topics.ALL) {
                String name = topics.nameOf(topic);
                drifts.add(
                        existing.contains(name)
                                ? describe(admin, topic, name, settings, deadline)
                                : TopicDrift.missing(topic, name, settings));
            }
            return drifts;
        });
    }

    /**
     * Creates the topics that do not exist, with {@code settings}; an existing topic is never altered, and
     * a difference from the settings is logged at WARN (run {@code sali topics} to see it, {@code --apply}
     * to change it).
     */
    public static Map<String, Outcome> createMissing(
            Admin admin, TopicSettings settings, SaliTopics topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (TopicDrift d : inspect(admin, settings, topics, timeout)) {
            if (!d.exists()) {
                outcomes.put(d.name(), create(admin, settings.newTopic(d.topic(), d.name()), deadline, timeout));
            } else {
                outcomes.put(d.name(), Outcome.UNCHANGED);
                if (!d.inSync()) {
                    LOG.warn(
                            "topic {} differs from the wanted settings and is left as it is: {} (`sali topics` shows the"
                                    + " drift; `--apply` changes what Kafka allows)",
                            d.name(),
                            String.join("; ", d.differences()));
                }
            }
        }
        awaitVisible(admin, outcomes.keySet(), deadline, timeout);
        return outcomes;
    }

    /**
     * Refuses to go on when a topic is missing: for a job configured not to create topics.
     *
     * @throws KafkaException naming the first missing topic
     */
    public static void requireExisting(Admin admin, SaliTopics topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> existing = call(
                "list the topics",
                timeout,
                () -> admin.listTopics().names().get(remaining(deadline), TimeUnit.NANOSECONDS));
        for (String topic : Topics.ALL) {
            String name = topics.nameOf(topic);
            if (!existing.contains(name)) {
                throw new KafkaException(
                        "the required topic '" + name + "' does not exist and creating missing topics is off;"
                                + " create it first (sali topics --bootstrap HOST:PORT --apply)");
            }
        }
    }

    /**
     * Brings the topics to {@code settings} as far as Kafka allows: creates missing topics, sets differing
     * configs, adds partitions. Never removes partitions (Kafka cannot) and never changes the replication
     * factor (that moves data between brokers: a reassignment plan is the operator's).
     */
    public static Map<String, Outcome> apply(Admin admin, TopicSettings settings, SaliTopics topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (TopicDrift d : inspect(admin, settings, topics, timeout)) {
            if (!d.exists()) {
                outcomes.put(d.name(), create(admin, settings.newTopic(d.topic(), d.name()), deadline, timeout));
                continue;
            }
            boolean changed = false;
            if (!d.configChanges().isEmpty()) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, d.name());
                List<AlterConfigOp> ops = d.configChanges().stream()
                        .map(c -> new AlterConfigOp(new ConfigEntry(c.name(), c.wanted()), AlterConfigOp.OpType.SET))
                        .toList();
                call(
                        "alter configs of " + d.name(),
                        timeout,
                        () -> admin.incrementalAlterConfigs(Map.of(resource, ops))
                                .all()
                                .get(remaining(deadline), TimeUnit.NANOSECONDS));
                LOG.info("set {} config(s) of topic {}: {}", ops.size(), d.name(), d.configChanges());
                changed = true;
            }
            if (d.partitionsCanGrow()) {
                call(
                        "add partitions to " + d.name(),
                        timeout,
                        () -> admin.createPartitions(Map.of(d.name(), NewPartitions.increaseTo(d.wantedPartitions())))
                                .all()
                                .get(remaining(deadline), TimeUnit.NANOSECONDS));
                LOG.info("topic {}: partitions {} -> {}", d.name(), d.partitions(), d.wantedPartitions());
                changed = true;
            }
            outcomes.put(d.name(), changed ? Outcome.UPDATED : Outcome.UNCHANGED);
        }
        awaitVisible(admin, outcomes.keySet(), deadline, timeout);
        return outcomes;
    }

    private static TopicDrift describe(Admin admin, String topic, String name, TopicSettings settings, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription description = admin.describeTopics(List.of(name))
                .allTopicNames()
                .get(remaining(deadline), TimeUnit.NANOSECONDS)
                .get(name);
        int replication = description.partitions().stream()
                .mapToInt((TopicPartitionInfo p) -> p.replicas().size())
                .min()
                .orElse(0);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Config actual = admin.describeConfigs(List.of(resource))
                .all()
                .get(remaining(deadline), TimeUnit.NANOSECONDS)
                .get(resource);
        List<TopicDrift.ConfigChange> changes = new ArrayList<>();
        settings.configsFor(topic).forEach((key, wanted) -> {
            ConfigEntry entry = actual.get(key);
            String value = entry == null ? null : entry.value();
            if (!wanted.equals(value)) {
                changes.add(new TopicDrift.ConfigChange(key, value, wanted));
            }
        });
        return new TopicDrift(
                topic,
                name,
                true,
                description.partitions().size(),
                settings.partitionsOf(topic),
                replication,
                settings.replicationFactor(),
                changes);
    }

    private static Outcome create(Admin admin, NewTopic topic, long deadline, Duration timeout) {
        return call("create topic " + topic.name(), timeout, () -> {
            try {
                admin.createTopics(List.of(topic)).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
                LOG.info(
                        "created topic {} ({} partitions, replication {})",
                        topic.name(),
                        topic.numPartitions(),
                        topic.replicationFactor());
                return Outcome.CREATED;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return Outcome.UNCHANGED; // someone created it between our listing and our request
                }
                throw e;
            }
        });
    }

    /** Waits until the broker's metadata has every topic: createTopics returns once the controller committed them. */
    private static void awaitVisible(Admin admin, Set<String> topics, long deadline, Duration timeout) {
        call("see the topics " + topics, timeout, () -> {
            while (true) {
                try {
                    return admin.describeTopics(topics).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() >= deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        });
    }

    /** An admin call that may fail, time out or be interrupted. */
    private interface AdminCall<T> {
        T run() throws ExecutionException, InterruptedException, TimeoutException;
    }

    private static <T> T call(String what, Duration timeout, AdminCall<T> action) {
        try {
            return action.run();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaException("could not " + what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new KafkaException(
                    "could not " + what + " within " + timeout.toSeconds() + " s (is the cluster reachable,"
                            + " and do the client properties match its listener?)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while trying to " + what, e);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
