package org.salistream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the SALI Stream topics through the Kafka Admin API, idempotently: missing topics are created
 * with {@link TopicSettings}; existing ones get their differing configs set (incrementalAlterConfigs);
 * partition counts of existing topics are never changed, because that would move procedures to other
 * partitions mid-stream (a difference is logged).
 */
public final class TopicAdmin {

    /** What {@link #ensureTopics} did to one topic. */
    public enum Outcome {
        /** The topic did not exist and was created. */
        CREATED,
        /** The topic existed; some of its configs were set to the wanted values. */
        UPDATED,
        /** The topic existed with the wanted configs. */
        UNCHANGED
    }

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private TopicAdmin() {
    }

    /** Ensures the four topics under their default names; see {@link #ensureTopics(String, SaliTopics, TopicSettings)}. */
    public static Map<String, Outcome> ensureTopics(String bootstrapServers, TopicSettings settings) {
        return ensureTopics(bootstrapServers, SaliTopics.defaults(), settings);
    }

    /** Ensures the four topics on the cluster at {@code bootstrapServers}; returns what was done per topic. */
    public static Map<String, Outcome> ensureTopics(String bootstrapServers, SaliTopics topics, TopicSettings settings) {
        Properties props = ClientConfigs.admin(bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            return ensureTopics(admin, topics, settings, DEFAULT_TIMEOUT);
        }
    }

    /** Ensures the four topics under their default names with an existing admin client. */
    public static Map<String, Outcome> ensureTopics(Admin admin, TopicSettings settings, Duration timeout) {
        return ensureTopics(admin, SaliTopics.defaults(), settings, timeout);
    }

    /** Ensures the four topics with an existing admin client. */
    public static Map<String, Outcome> ensureTopics(Admin admin, SaliTopics topics, TopicSettings settings, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        try {
            Set<String> existing = admin.listTopics().names().get(remaining(deadline), TimeUnit.NANOSECONDS);
            List<NewTopic> toCreate = new ArrayList<>();
            List<NewTopic> wanted = settings.newTopics(topics);
            for (NewTopic t : wanted) {
                if (!existing.contains(t.name())) {
                    toCreate.add(t);
                }
            }
            for (NewTopic t : toCreate) {
                try {
                    admin.createTopics(List.of(t)).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
                    outcomes.put(t.name(), Outcome.CREATED);
                    LOG.info("created topic {} ({} partitions, replication {})", t.name(), t.numPartitions(), t.replicationFactor());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // Someone else created it between our listing and our request: treat as existing.
                }
            }
            // createTopics returns once the controller committed the topics; the broker serves them a moment later.
            awaitVisible(admin, topics.names(), deadline);
            for (NewTopic t : wanted) {
                if (!outcomes.containsKey(t.name())) {
                    outcomes.put(t.name(), reconcile(admin, t, deadline));
                }
            }
            return outcomes;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaException("could not ensure the SALI Stream topics " + topics.names() + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new KafkaException("could not ensure the SALI Stream topics " + topics.names() + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while ensuring the SALI Stream topics", e);
        }
    }

    private static Outcome reconcile(Admin admin, NewTopic wanted, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription description = admin.describeTopics(List.of(wanted.name())).allTopicNames()
                .get(remaining(deadline), TimeUnit.NANOSECONDS).get(wanted.name());
        if (description.partitions().size() != wanted.numPartitions()) {
            LOG.warn("topic {} has {} partitions, the settings say {}; left as it is (changing it would move procedures"
                    + " between partitions)", wanted.name(), description.partitions().size(), wanted.numPartitions());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, wanted.name());
        Config actual = admin.describeConfigs(List.of(resource)).all().get(remaining(deadline), TimeUnit.NANOSECONDS).get(resource);
        Collection<AlterConfigOp> ops = new ArrayList<>();
        for (Map.Entry<String, String> e : wanted.configs().entrySet()) {
            ConfigEntry entry = actual.get(e.getKey());
            if (entry == null || !e.getValue().equals(entry.value())) {
                ops.add(new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET));
            }
        }
        if (ops.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
        LOG.info("updated {} config(s) of topic {}", ops.size(), wanted.name());
        return Outcome.UPDATED;
    }

    /** Waits until the broker's metadata has every topic (describeTopics no longer says unknown). */
    private static void awaitVisible(Admin admin, Collection<String> topics, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        while (true) {
            try {
                admin.describeTopics(topics).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() >= deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
