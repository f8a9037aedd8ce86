package org.salistream.kafka;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The four topics of one SALI Stream deployment, typed: the one definition that the job, the topic admin,
 * {@code replay}, {@code ingest}, {@code tail} and {@code watch} all take their topic names and serdes from.
 * Built from the job's configuration ({@link #fromKeys} over the {@code kafka.topics.*} keys), or
 * {@link #defaults()} ({@link Topics}' names).
 *
 * @param frames      encoded frames in (key procedure id, value the image bytes, headers {@link FrameHeaders})
 * @param masks       masks out ({@link MaskEnvelope}; end-of-procedure markers forwarded)
 * @param alerts      alerts out ({@link AlertEvent})
 * @param deadLetters frame records that could not be processed (original bytes, reason headers)
 */
public record SaliTopics(
        Topic<String, byte[]> frames,
        Topic<String, MaskEnvelope> masks,
        Topic<String, AlertEvent> alerts,
        Topic<String, byte[]> deadLetters) {

    /** The configuration keys of the four names: {@code kafka.topics.frames|masks|alerts|dlq}. */
    public static final String KEY_FRAMES = "kafka.topics.frames";
    /** See {@link #KEY_FRAMES}. */
    public static final String KEY_MASKS = "kafka.topics.masks";
    /** See {@link #KEY_FRAMES}. */
    public static final String KEY_ALERTS = "kafka.topics.alerts";
    /** See {@link #KEY_FRAMES}. */
    public static final String KEY_DEAD_LETTERS = "kafka.topics.dlq";

    /** Checks kinds and that the four names differ. */
    public SaliTopics {
        requireKind(frames, Topic.Kind.FRAMES);
        requireKind(masks, Topic.Kind.MASKS);
        requireKind(alerts, Topic.Kind.ALERTS);
        requireKind(deadLetters, Topic.Kind.DEAD_LETTERS);
        Set<String> names = new HashSet<>();
        for (Topic<String, ?> t : List.of(frames, masks, alerts, deadLetters)) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException(
                        "the frames, masks, alerts and dead-letter topics need four different" + " names; '" + t.name()
                                + "' is given twice");
            }
        }
    }

    /** The contract's default names: {@value Topics#FRAMES}, {@value Topics#MASKS}, {@value Topics#ALERTS}, {@value Topics#FRAMES_DLQ}. */
    public static SaliTopics defaults() {
        return named(Topics.FRAMES, Topics.MASKS, Topics.ALERTS, Topics.FRAMES_DLQ);
    }

    /** The four topics under the given names. */
    public static SaliTopics named(String frames, String masks, String alerts, String deadLetters) {
        return new SaliTopics(
                Topic.of(
                        frames,
                        Topic.Kind.FRAMES,
                        new ProcedureIdSerde(),
                        new ProcedureIdSerde(),
                        new ByteArraySerializer(),
                        new ByteArrayDeserializer()),
                Topic.of(
                        masks,
                        Topic.Kind.MASKS,
                        new ProcedureIdSerde(),
                        new ProcedureIdSerde(),
                        new MaskEnvelopeSerde(),
                        new MaskEnvelopeSerde()),
                Topic.of(
                        alerts,
                        Topic.Kind.ALERTS,
                        new ProcedureIdSerde(),
                        new ProcedureIdSerde(),
                        new AlertEventSerde(),
                        new AlertEventSerde()),
                Topic.of(
                        deadLetters,
                        Topic.Kind.DEAD_LETTERS,
                        new ProcedureIdSerde(),
                        new ProcedureIdSerde(),
                        new ByteArraySerializer(),
                        new ByteArrayDeserializer()));
    }

    /**
     * The topics named by a configuration's {@code kafka.topics.*} keys; a key the lookup does not know
     * (returns null for) keeps its default name.
     */
    public static SaliTopics fromKeys(Function<String, String> config) {
        SaliTopics d = defaults();
        return named(
                value(config, KEY_FRAMES, d.frames),
                value(config, KEY_MASKS, d.masks),
                value(config, KEY_ALERTS, d.alerts),
                value(config, KEY_DEAD_LETTERS, d.deadLetters));
    }

    /** The four names under their configuration keys, in {@link #all()} order. */
    public Map<String, String> toKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FRAMES, frames.name());
        m.put(KEY_MASKS, masks.name());
        m.put(KEY_ALERTS, alerts.name());
        m.put(KEY_DEAD_LETTERS, deadLetters.name());
        return m;
    }

    /** The four topics in creation order: frames, masks, alerts, dead letters. */
    public List<Topic<String, ?>> all() {
        return List.of(frames, masks, alerts, deadLetters);
    }

    /** The name this deployment gives the contract's topic {@code topic} (a name of {@link Topics#ALL}). */
    public String nameOf(String topic) {
        Topic.Kind kind = Topic.Kind.ofContractName(topic);
        return all().stream()
                .filter(t -> t.kind() == kind)
                .findFirst()
                .orElseThrow()
                .name();
    }

    /** The four names in {@link #all()} order. */
    public List<String> names() {
        return all().stream().map(Topic::name).toList();
    }

    private static String value(Function<String, String> config, String key, Topic<String, ?> fallback) {
        String v = config.apply(key);
        if (v == null) {
            return fallback.name();
        }
        try {
            return Topic.requireValidName(v.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static void requireKind(Topic<String, ?> topic, Topic.Kind kind) {
        Objects.requireNonNull(topic, kind.name().toLowerCase(java.util.Locale.ROOT) + " topic");
        if (topic.kind() != kind) {
            throw new IllegalArgumentException("topic " + topic + " given where a " + kind + " topic belongs");
        }
    }
}
