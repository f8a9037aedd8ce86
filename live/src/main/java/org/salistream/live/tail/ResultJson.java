package org.salistream.live.tail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.AlertEventSerde;
import org.salistream.kafka.BoundingBox;
import org.salistream.kafka.MaskEnvelope;

/**
 * The JSON lines {@code sali tail} prints: one compact object per mask, alert or end-of-procedure marker,
 * never the mask's pixels (those go to PNG files with {@code --out}).
 *
 * <ul>
 *   <li>mask: {@code procedure, frameIndex, captureUs, emitUs, latencyMs} (capture to emit),
 *       {@code visibleMs} (capture to this reader seeing it: the latency of the isolation level read with),
 *       {@code maxProbability, area, boxes: [{x, y, w, h, score}]};</li>
 *   <li>alert: the event exactly as the {@code alerts} topic carries it ({@link AlertEventSerde});</li>
 *   <li>end of procedure: {@code {"procedure": ..., "endOfProcedure": lastIndex}}.</li>
 * </ul>
 */
public final class ResultJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {}

    /** A mask's line; {@code seenMicros} is when the reader got it (epoch microseconds). */
    public static String mask(MaskEnvelope m, long seenMicros) {
        ObjectNode n = JSON.createObjectNode();
        n.put("procedure", m.procedureId());
        n.put("frameIndex", m.frameIndex());
        n.put("captureUs", m.captureMicros());
        n.put("emitUs", m.emitMicros());
        n.put("latencyMs", round(m.latencyMillis()));
        n.put("visibleMs", round((seenMicros - m.captureMicros()) / 1000.0));
        n.put("maxProbability", m.maxProbability());
        n.put("area", m.area());
        ArrayNode boxes = n.putArray("boxes");
        for (BoundingBox b : m.boxes()) {
            ObjectNode o = boxes.addObject();
            o.put("x", b.x());
            o.put("y", b.y());
            o.put("w", b.w());
            o.put("h", b.h());
            o.put("score", b.score());
        }
        return write(n);
    }

    /** An alert's line: the topic's own JSON. */
    public static String alert(AlertEvent e) {
        return new String(AlertEventSerde.encode(e), StandardCharsets.UTF_8);
    }

    /** An end-of-procedure marker's line. */
    public static String endOfProcedure(String procedureId, long lastIndex) {
        ObjectNode n = JSON.createObjectNode();
        n.put("procedure", procedureId);
        n.put("endOfProcedure", lastIndex);
        return write(n);
    }

    private static double round(double millis) {
        return Math.round(millis * 10) / 10.0;
    }

    private static String write(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON encoding failed", e);
        }
    }
}
