package org.salistream.kafka;

import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The SALI Stream wire contract in one place: the default topic names and the serde of every key and value
 * (kafka/README.md documents each byte). Clients do not use these names directly: they take their
 * {@link Topic}s from the deployment's {@link SaliTopics}, whose {@link SaliTopics#defaults()} these are. All serdes are plain Kafka {@link Serializer}/{@link Deserializer}
 * classes with static {@code encode}/{@code decode} methods, so that Flink's (de)serialization schemas can
 * wrap them.
 *
 * <table>
 *   <caption>Topics</caption>
 *   <tr><th>topic</th><th>key</th><th>value</th><th>headers</th></tr>
 *   <tr><td>{@value #FRAMES}</td><td>procedure id ({@link ProcedureIdSerde})</td><td>JPEG or PNG bytes; empty for the
 *       end-of-procedure marker</td><td>{@link FrameHeaders}</td></tr>
 *   <tr><td>{@value #MASKS}</td><td>procedure id</td><td>{@link MaskEnvelopeSerde} (binary)</td><td>only
 *       {@value HeaderNames#END_OF_PROCEDURE} on the marker</td></tr>
 *   <tr><td>{@value #ALERTS}</td><td>procedure id</td><td>{@link AlertEventSerde} (JSON)</td><td>none</td></tr>
 *   <tr><td>{@value #FRAMES_DLQ}</td><td>the original key bytes</td><td>the original value bytes</td><td>the
 *       original headers plus {@link DeadLetters}' {@code sali.dlq.*}</td></tr>
 * </table>
 */
public final class Topics {

    /** Encoded video frames from gateways and replays. */
    public static final String FRAMES = "frames";
    /** One segmentation mask per processed frame. */
    public static final String MASKS = "masks";
    /** Polyp appeared / cleared events. */
    public static final String ALERTS = "alerts";
    /** Frame records that could not be processed, with the reason in headers. */
    public static final String FRAMES_DLQ = "frames.dlq";
    /** All four, in creation order. */
    public static final List<String> ALL = List.of(FRAMES, MASKS, ALERTS, FRAMES_DLQ);

    /** The value of an end-of-procedure marker record: empty (not null, which reads as a tombstone). */
    public static final byte[] END_OF_PROCEDURE_VALUE = new byte[0];

    private Topics() {}

    /** Key serializer of every topic: the procedure id. */
    public static Serializer<String> keySerializer() {
        return new ProcedureIdSerde();
    }

    /** Key deserializer of every topic: the procedure id, strictly. */
    public static Deserializer<String> keyDeserializer() {
        return new ProcedureIdSerde();
    }

    /** Value serializer of {@value #FRAMES} and {@value #FRAMES_DLQ}: the bytes as they are. */
    public static Serializer<byte[]> frameValueSerializer() {
        return new ByteArraySerializer();
    }

    /** Value deserializer of {@value #FRAMES} and {@value #FRAMES_DLQ}: the bytes as they are. */
    public static Deserializer<byte[]> frameValueDeserializer() {
        return new ByteArrayDeserializer();
    }

    /** Value serializer of {@value #MASKS}. */
    public static Serializer<MaskEnvelope> maskSerializer() {
        return new MaskEnvelopeSerde();
    }

    /** Value deserializer of {@value #MASKS} (null for the end-of-procedure marker). */
    public static Deserializer<MaskEnvelope> maskDeserializer() {
        return new MaskEnvelopeSerde();
    }

    /** Value serializer of {@value #ALERTS}. */
    public static Serializer<AlertEvent> alertSerializer() {
        return new AlertEventSerde();
    }

    /** Value deserializer of {@value #ALERTS}. */
    public static Deserializer<AlertEvent> alertDeserializer() {
        return new AlertEventSerde();
    }
}
