package org.salistream.kafka;

import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One topic of the SALI Stream contract: its name, what it carries ({@link Kind}) and the serdes of its
 * keys and values. Clients take a {@code Topic} rather than a name so that a name always travels with the
 * right serdes and no client spells a topic name itself; the four topics of a deployment come from one
 * {@link SaliTopics}, built from the job's configuration ({@code kafka.topics.*}).
 *
 * <pre>{@code
 * Topic<String, MaskEnvelope> masks = SaliTopics.defaults().masks();
 * consumer.assign(...masks.name()...);
 * MaskEnvelope m = masks.decodeValue(record.value());
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class Topic<K, V> {

    /** What a topic carries; it decides the topic's settings ({@link TopicSettings#configsFor(Kind)}). */
    public enum Kind {
        /** Encoded video frames and end-of-procedure markers, from gateways and replays. */
        FRAMES(Topics.FRAMES),
        /** One mask per processed frame, and the forwarded end-of-procedure markers. */
        MASKS(Topics.MASKS),
        /** Polyp appeared / cleared events. */
        ALERTS(Topics.ALERTS),
        /** Frame records that could not be processed, with the reason in headers. */
        DEAD_LETTERS(Topics.FRAMES_DLQ);

        private final String contractName;

        Kind(String contractName) {
            this.contractName = contractName;
        }

        /** The contract's (default) name of the topic of this kind ({@link Topics}). */
        public String contractName() {
            return contractName;
        }

        /**
         * The kind whose contract name is {@code topic}.
         *
         * @throws IllegalArgumentException for a name outside the contract
         */
        public static Kind ofContractName(String topic) {
            for (Kind k : values()) {
                if (k.contractName.equals(topic)) {
                    return k;
                }
            }
            throw new IllegalArgumentException(
                    "not a SALI Stream topic: '" + topic + "'; expected one of " + Topics.ALL);
        }
    }

    /** Kafka's rule for topic names: ASCII letters, digits, '.', '_', '-'; at most 249 characters. */
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String name;
    private final Kind kind;
    private final Serde<K> keys;
    private final Serde<V> values;

    private Topic(String name, Kind kind, Serde<K> keys, Serde<V> values) {
        this.name = requireValidName(name);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.values = Objects.requireNonNull(values, "values");
    }

    /** A topic with the given name, kind and serdes. */
    public static <K, V> Topic<K, V> of(
            String name,
            Kind kind,
            Serializer<K> keySerializer,
            Deserializer<K> keyDeserializer,
            Serializer<V> valueSerializer,
            Deserializer<V> valueDeserializer) {
        return new Topic<>(
                name,
                kind,
                Serdes.serdeFrom(keySerializer, keyDeserializer),
                Serdes.serdeFrom(valueSerializer, valueDeserializer));
    }

    /**
     * Checks a topic name against Kafka's rules and returns it.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static String requireValidName(String name) {
        if (name == null || !LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name
                    + "' is not a valid Kafka topic name (1..249 of a-z A-Z 0-9 . _ -," + " not '.' or '..')");
        }
        return name;
    }

    /** The same topic under another name (same kind and serdes). */
    public Topic<K, V> withName(String otherName) {
        return new Topic<>(otherName, kind, keys, values);
    }

    /** The topic's name on the cluster. */
    public String name() {
        return name;
    }

    /** What the topic carries. */
    public Kind kind() {
        return kind;
    }

    /** The key serializer (stateless; may be shared). */
    public Serializer<K> keySerializer() {
        return keys.serializer();
    }

    /** The key deserializer (strict; stateless). */
    public Deserializer<K> keyDeserializer() {
        return keys.deserializer();
    }

    /** The value serializer (stateless; may be shared). */
    public Serializer<V> valueSerializer() {
        return values.serializer();
    }

    /** The value deserializer (strict; stateless). */
    public Deserializer<V> valueDeserializer() {
        return values.deserializer();
    }

    /** Decodes a record key of this topic. */
    public K decodeKey(byte[] key) {
        return keys.deserializer().deserialize(name, key);
    }

    /** Decodes a record value of this topic (null where the serde maps a marker to null). */
    public V decodeValue(byte[] value) {
        return values.deserializer().deserialize(name, value);
    }

    /** Decodes a record value with its headers (the masks serde reads an end-of-procedure marker as null). */
    public V decodeValue(Headers headers, byte[] value) {
        return values.deserializer().deserialize(name, headers, value);
    }

    /** Encodes a key for this topic. */
    public byte[] encodeKey(K key) {
        return keys.serializer().serialize(name, key);
    }

    /** Encodes a value for this topic. */
    public byte[] encodeValue(V value) {
        return values.serializer().serialize(name, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topic<?, ?> t && t.name.equals(name) && t.kind == kind;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + kind.hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
