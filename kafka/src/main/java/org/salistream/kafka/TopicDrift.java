package org.salistream.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one SALI Stream topic on a cluster differs from the wanted {@link TopicSettings}: found by
 * {@link TopicAdmin#inspect}, shown by {@code sali topics}, changed only by {@link TopicAdmin#apply}.
 *
 * @param topic                   the contract's name of the topic ({@link Topics#ALL})
 * @param name                    its name on the cluster (a deployment may rename topics)
 * @param exists                  whether the cluster has it
 * @param partitions              its partition count (0 when missing)
 * @param wantedPartitions        the settings' partition count
 * @param replicationFactor       its smallest replica count over partitions (0 when missing)
 * @param wantedReplicationFactor the settings' replication factor
 * @param configChanges           the topic configs whose value differs from the settings
 */
public record TopicDrift(
        String topic,
        String name,
        boolean exists,
        int partitions,
        int wantedPartitions,
        int replicationFactor,
        int wantedReplicationFactor,
        List<ConfigChange> configChanges) {

    /**
     * One topic config that differs.
     *
     * @param name   the config, e.g. {@code retention.ms}
     * @param actual the cluster's value (null when unset)
     * @param wanted the settings' value
     */
    public record ConfigChange(String name, String actual, String wanted) {
        @Override
        public String toString() {
            return name + " " + actual + " (wanted " + wanted + ")";
        }
    }

    /** Validates and copies. */
    public TopicDrift {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(name, "name");
        configChanges = List.copyOf(configChanges);
    }

    /** A topic the cluster does not have. */
    static TopicDrift missing(String topic, String name, TopicSettings settings) {
        return new TopicDrift(
                topic, name, false, 0, settings.partitionsOf(topic), 0, settings.replicationFactor(), List.of());
    }

    /** Whether the topic exists with the wanted partitions, replication and configs. */
    public boolean inSync() {
        return exists
                && partitions == wantedPartitions
                && replicationFactor == wantedReplicationFactor
                && configChanges.isEmpty();
    }

    /** Whether {@link TopicAdmin#apply} can change the partition count (Kafka only ever adds partitions). */
    public boolean partitionsCanGrow() {
        return exists && partitions < wantedPartitions;
    }

    /** One line per difference, saying what {@code --apply} would do about it. */
    public List<String> differences() {
        List<String> lines = new ArrayList<>();
        if (!exists) {
            lines.add("missing: --apply creates it with " + wantedPartitions + " partitions, replication "
                    + wantedReplicationFactor);
            return lines;
        }
        if (partitions < wantedPartitions) {
            lines.add("partitions " + partitions + " (wanted " + wantedPartitions + "): --apply adds partitions;"
                    + " procedures then hash to other partitions, so do it between procedures");
        } else if (partitions > wantedPartitions) {
            lines.add("partitions " + partitions + " (wanted " + wantedPartitions
                    + "): Kafka cannot remove partitions; left as it is");
        }
        if (replicationFactor != wantedReplicationFactor) {
            lines.add("replication factor " + replicationFactor + " (wanted " + wantedReplicationFactor
                    + "): not changed by" + " this command; reassign replicas with kafka-reassign-partitions");
        }
        configChanges.forEach(c -> lines.add(c + ": --apply sets it"));
        return lines;
    }

    @Override
    public String toString() {
        String label = name.equals(topic) ? name : name + " (" + topic + ")";
        return inSync() ? label + ": in sync" : label + ": " + String.join("; ", differences());
    }
}
