package org.salistream.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Partitions, replication and per-topic configs of the four SALI Stream topics, as created by
 * {@link TopicAdmin#ensureTopics}. {@link #defaults()} suits one node (the embedded broker, a demo box);
 * a real cluster uses {@link #withReplication} (e.g. 3 and 2).
 *
 * <p>{@code frames}, {@code masks} and {@code alerts} have the same partition count so that one
 * procedure's key lands on the same partition number in each (co-partitioned). Frames are kept for a
 * short time (they are large, and they are patient video), results longer. {@code frames.dlq} holds the
 * same patient frames, so it is never kept longer than {@code frames} (the constructor refuses it).
 *
 * @param partitions        partitions of frames, masks and alerts
 * @param dlqPartitions     partitions of frames.dlq
 * @param replicationFactor replicas per partition
 * @param minInsyncReplicas min.insync.replicas (acks=all waits for this many)
 * @param maxFrameBytes     the largest frame value accepted (the topics' max.message.bytes add headroom for headers)
 * @param frameRetention    retention.ms of frames
 * @param maskRetention     retention.ms of masks
 * @param alertRetention    retention.ms of alerts
 * @param dlqRetention      retention.ms of frames.dlq
 */
public record TopicSettings(
        int partitions,
        int dlqPartitions,
        short replicationFactor,
        int minInsyncReplicas,
        int maxFrameBytes,
        Duration frameRetention,
        Duration maskRetention,
        Duration alertRetention,
        Duration dlqRetention) {

    /** Default largest frame: 8 MiB (a 4K JPEG at high quality is 2-4 MiB; a 1080p PNG about 3-6 MiB). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
    /** Room for key, headers and batch overhead on top of a value, in max.message.bytes and max.request.size. */
    public static final int RECORD_HEADROOM_BYTES = 64 * 1024;

    /** Validates the settings. */
    public TopicSettings {
        if (partitions < 1 || dlqPartitions < 1) {
            throw new IllegalArgumentException(
                    "partitions must be >= 1, got " + partitions + " and " + dlqPartitions + " (dlq)");
        }
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("need 1 <= min.insync.replicas <= replication factor, got "
                    + minInsyncReplicas + " and " + replicationFactor);
        }
        if (maxFrameBytes < 1024 || maxFrameBytes > 256 * 1024 * 1024) {
            throw new IllegalArgumentException("max frame bytes must be in 1 KiB..256 MiB, got " + maxFrameBytes);
        }
        for (Duration d : List.of(frameRetention, maskRetention, alertRetention, dlqRetention)) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("retention must be positive, got " + d);
            }
        }
        if (dlqRetention.compareTo(frameRetention) > 0) {
            throw new IllegalArgumentException(
                    "frames.dlq retention (" + dlqRetention + ") must not exceed frames retention (" + frameRetention
                            + "): dead letters are patient frames too");
        }
    }

    /**
     * One node: 4 partitions (1 for the DLQ), replication 1, 8 MiB frames, retention of frames 1 day, masks 7
     * days, alerts 30 days, frames.dlq 1 day (as long as frames: a dead letter is a patient frame).
     */
    public static TopicSettings defaults() {
        return new TopicSettings(
                4,
                1,
                (short) 1,
                1,
                DEFAULT_MAX_FRAME_BYTES,
                Duration.ofDays(1),
                Duration.ofDays(7),
                Duration.ofDays(30),
                Duration.ofDays(1));
    }

    /** The same settings with another partition count for frames, masks and alerts. */
    public TopicSettings withPartitions(int partitions) {
        return copy(partitions, replicationFactor, minInsyncReplicas, maxFrameBytes, frameRetention, dlqRetention);
    }

    /** The same settings with another replication factor and min.insync.replicas. */
    public TopicSettings withReplication(int replicationFactor, int minInsyncReplicas) {
        if (replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replication factor too large: " + replicationFactor);
        }
        return copy(
                partitions, (short) replicationFactor, minInsyncReplicas, maxFrameBytes, frameRetention, dlqRetention);
    }

    /** The same settings with another frame size limit. */
    public TopicSettings withMaxFrameBytes(int maxFrameBytes) {
        return copy(partitions, replicationFactor, minInsyncReplicas, maxFrameBytes, frameRetention, dlqRetention);
    }

    /** The same settings with another frame retention; the DLQ's is lowered to it when it was longer. */
    public TopicSettings withFrameRetention(Duration retention) {
        Duration dlq = retention != null && dlqRetention.compareTo(retention) > 0 ? retention : dlqRetention;
        return copy(partitions, replicationFactor, minInsyncReplicas, maxFrameBytes, retention, dlq);
    }

    /** These settings with the values the withers change; the rest (DLQ partitions, mask and alert retention) kept. */
    private TopicSettings copy(
            int partitions,
            short replicationFactor,
            int minInsyncReplicas,
            int maxFrameBytes,
            Duration frameRetention,
            Duration dlqRetention) {
        return new TopicSettings(
                partitions,
                dlqPartitions,
                replicationFactor,
                minInsyncReplicas,
                maxFrameBytes,
                frameRetention,
                maskRetention,
                alertRetention,
                dlqRetention);
    }

    /** The partition count of one of the four topics ({@link Topics#ALL}). */
    public int partitionsOf(String topic) {
        configsFor(topic); // refuses a name outside the contract
        return topic.equals(Topics.FRAMES_DLQ) ? dlqPartitions : partitions;
    }

    /** max.message.bytes of frames and masks: the frame limit plus headroom for key and headers. */
    public int maxRecordBytes() {
        return maxFrameBytes + RECORD_HEADROOM_BYTES;
    }

    /** max.message.bytes of frames.dlq: a frame record plus the dead-letter headers. */
    public int maxDeadLetterBytes() {
        return maxFrameBytes + 2 * RECORD_HEADROOM_BYTES;
    }

    /** The producer's max.request.size that lets the largest frame or dead letter through. */
    public int producerMaxRequestBytes() {
        return maxDeadLetterBytes() + RECORD_HEADROOM_BYTES;
    }

    /** The four topics to create under the default names, in the order {@link SaliTopics#all()}. */
    public List<NewTopic> newTopics() {
        return newTopics(SaliTopics.defaults());
    }

    /**
     * One of the four topics ({@code topic}, a name of {@link Topics#ALL}) under the name a deployment gave it
     * (the job's {@code kafka.topics.*} keys), with that topic's partitions, replication and configs.
     */
    public NewTopic newTopic(String topic, String name) {
        return new NewTopic(name, partitionsOf(topic), replicationFactor).configs(configsFor(topic));
    }

    /** The four topics to create, in the order {@link SaliTopics#all()}. */
    public List<NewTopic> newTopics(SaliTopics topics) {
        return topics.all().stream()
                .map(t -> newTopic(t.kind().contractName(), t.name()))
                .toList();
    }

    /** The topic-level configs of one of the four topics ({@code topic}, a name of {@link Topics#ALL}). */
    public Map<String, String> configsFor(String topic) {
        return configsFor(Topic.Kind.ofContractName(topic));
    }

    /** The topic-level configs of a topic of this kind. */
    public Map<String, String> configsFor(Topic.Kind kind) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("cleanup.policy", "delete");
        c.put("min.insync.replicas", Integer.toString(minInsyncReplicas));
        // Results carry the job's emit time. Frames are the exception below.
        c.put("message.timestamp.type", "CreateTime");
        // Frames are JPEG/PNG and masks PNG: recompressing on the broker wastes CPU for nothing.
        c.put("compression.type", "producer");
        switch (kind) {
            case FRAMES:
                // Retention counts from a frame's arrival, never from its producer's timestamp (the capture
                // time): a replayed recording, a gateway whose clock is behind or a stream held back for longer
                // than retention would otherwise be deleted by the broker's next retention check before the job
                // has read it, and a source resuming from a checkpoint below the new log start skips the rest
                // without a trace. The capture time travels in the sali.capture-us header.
                c.put("message.timestamp.type", "LogAppendTime");
                c.put("retention.ms", Long.toString(frameRetention.toMillis()));
                c.put("max.message.bytes", Integer.toString(maxRecordBytes()));
                // Small, hourly segments so that retention frees video soon after it expires.
                c.put("segment.bytes", Integer.toString(256 * 1024 * 1024));
                c.put("segment.ms", Long.toString(Duration.ofHours(1).toMillis()));
                break;
            case MASKS:
                c.put("retention.ms", Long.toString(maskRetention.toMillis()));
                c.put("max.message.bytes", Integer.toString(maxRecordBytes()));
                break;
            case ALERTS:
                c.put("retention.ms", Long.toString(alertRetention.toMillis()));
                c.put("max.message.bytes", Integer.toString(1024 * 1024));
                break;
            case DEAD_LETTERS:
                c.put("retention.ms", Long.toString(dlqRetention.toMillis()));
                c.put("max.message.bytes", Integer.toString(maxDeadLetterBytes()));
                break;
            default:
                throw new IllegalArgumentException("no settings for topic kind " + kind);
        }
        return c;
    }
}
