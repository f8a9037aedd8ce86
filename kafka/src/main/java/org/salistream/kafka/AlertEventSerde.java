package org.salistream.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The JSON value format of the {@code alerts} topic, version 1 (schema in kafka/README.md):
 *
 * <pre>{@code
 * {"version":1,"procedureId":"p-001","type":"APPEARED","frameIndex":212,"firstFrameIndex":208,
 *  "lastFrameIndex":212,"captureMicros":1767225600000000,"emitMicros":1767225600040000,"confidence":0.93,
 *  "box":{"x":101,"y":54,"w":80,"h":66,"score":0.93},
 *  "hysteresis":{"appearK":3,"appearN":5,"clearM":10,"threshold":0.5}}
 * }</pre>
 *
 * <p>JSON because alerts are rare, small, and read by people and dashboards. Decoding is strict about
 * what it needs (every field present with the right type, {@code version} = 1, {@code box} may be null)
 * and ignores fields it does not know, so that later writers may add some.
 */
public final class AlertEventSerde implements Serializer<AlertEvent>, Deserializer<AlertEvent> {

    /** The format version this class writes and reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Encodes one event as UTF-8 JSON. */
    public static byte[] encode(AlertEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", VERSION);
        n.put("procedureId", e.procedureId());
        n.put("type", e.type().name());
        n.put("frameIndex", e.frameIndex());
        n.put("firstFrameIndex", e.firstFrameIndex());
        n.put("lastFrameIndex", e.lastFrameIndex());
        n.put("captureMicros", e.captureMicros());
        n.put("emitMicros", e.emitMicros());
        n.put("confidence", e.confidence());
        if (e.box() == null) {
            n.putNull("box");
        } else {
            ObjectNode b = n.putObject("box");
            b.put("x", e.box().x());
            b.put("y", e.box().y());
            b.put("w", e.box().w());
            b.put("h", e.box().h());
            b.put("score", e.box().score());
        }
        ObjectNode h = n.putObject("hysteresis");
        h.put("appearK", e.hysteresis().appearK());
        h.put("appearN", e.hysteresis().appearN());
        h.put("clearM", e.hysteresis().clearM());
        h.put("threshold", e.hysteresis().threshold());
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException ex) {
            throw new SerializationException("could not write alert JSON: " + ex.getMessage(), ex);
        }
    }

    /** Decodes one event, strictly (see the class comment). */
    public static AlertEvent decode(byte[] value) {
        if (value == null) {
            throw new SerializationException("the alert value is null");
        }
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (IOException ex) {
            throw new SerializationException("the alert value is not JSON: " + ex.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new SerializationException("the alert value must be a JSON object");
        }
        long version = integer(n, "version");
        if (version != VERSION) {
            throw new SerializationException(
                    "alert version " + version + " is not supported (this reader knows " + VERSION + ")");
        }
        AlertEvent.Type type;
        String typeName = text(n, "type");
        try {
            type = AlertEvent.Type.valueOf(typeName);
        } catch (IllegalArgumentException ex) {
            throw new SerializationException("alert field 'type' is '" + typeName + "'; expected APPEARED or CLEARED");
        }
        JsonNode boxNode = n.get("box");
        if (boxNode == null) {
            throw new SerializationException("alert field 'box' is missing (write null when there is no box)");
        }
        JsonNode hys = field(n, "hysteresis");
        try {
            BoundingBox box = boxNode.isNull()
                    ? null
                    : new BoundingBox(
                            int32(boxNode, "x"),
                            int32(boxNode, "y"),
                            int32(boxNode, "w"),
                            int32(boxNode, "h"),
                            real(boxNode, "score"));
            AlertEvent.Hysteresis h = new AlertEvent.Hysteresis(
                    int32(hys, "appearK"), int32(hys, "appearN"), int32(hys, "clearM"), real(hys, "threshold"));
            return new AlertEvent(
                    text(n, "procedureId"),
                    type,
                    integer(n, "frameIndex"),
                    integer(n, "firstFrameIndex"),
                    integer(n, "lastFrameIndex"),
                    integer(n, "captureMicros"),
                    integer(n, "emitMicros"),
                    real(n, "confidence"),
                    box,
                    h);
        } catch (IllegalArgumentException ex) {
            throw new SerializationException("alert holds an invalid field: " + ex.getMessage());
        }
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new SerializationException("alert field '" + name + "' is missing");
        }
        return v;
    }

    private static long integer(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new SerializationException("alert field '" + name + "' must be an integer, got " + v);
        }
        return v.longValue();
    }

    private static int int32(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new SerializationException("alert field '" + name + "' must be a 32-bit integer, got " + v);
        }
        return v.intValue();
    }

    /** Floats are written in their shortest decimal form; reading that text back gives the same float. */
    private static float real(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isNumber()) {
            throw new SerializationException("alert field '" + name + "' must be a number, got " + v);
        }
        return Float.parseFloat(v.asText());
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isTextual()) {
            throw new SerializationException("alert field '" + name + "' must be a string, got " + v);
        }
        return v.textValue();
    }

    @Override
    public byte[] serialize(String topic, AlertEvent event) {
        return event == null ? null : encode(event);
    }

    @Override
    public AlertEvent deserialize(String topic, byte[] value) {
        return value == null ? null : decode(value);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing to release
    }
}
