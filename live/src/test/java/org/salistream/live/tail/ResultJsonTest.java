package org.salistream.live.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.AlertEventSerde;
import org.salistream.kafka.BoundingBox;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.MaskPng;

class ResultJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMaskLineCarriesTheIssuesFieldsAndNoPixels() throws Exception {
        MaskEnvelope m = mask(7);
        JsonNode n = JSON.readTree(ResultJson.mask(m, 1_250_000));
        assertEquals("proc-1", n.get("procedure").asText());
        assertEquals(7, n.get("frameIndex").asLong());
        assertEquals(1_000_000, n.get("captureUs").asLong());
        assertEquals(1_080_000, n.get("emitUs").asLong());
        assertEquals(80.0, n.get("latencyMs").asDouble());
        assertEquals(250.0, n.get("visibleMs").asDouble());
        assertEquals(0.75, n.get("maxProbability").asDouble(), 1e-6);
        assertEquals(12, n.get("area").asLong());
        assertEquals(2, n.get("boxes").get(0).get("y").asInt());
        assertTrue(!n.has("maskPng") && !ResultJson.mask(m, 0).contains("\n"));
    }

    @Test
    void alertsAreTheTopicsJsonAndEndMarkersTheIssuesShape() throws Exception {
        AlertEvent a = new AlertEvent(
                "proc-1",
                AlertEvent.Type.APPEARED,
                9,
                5,
                9,
                100,
                200,
                0.8f,
                null,
                new AlertEvent.Hysteresis(3, 5, 5, 0.5f));
        assertEquals(a, AlertEventSerde.decode(ResultJson.alert(a).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("{\"procedure\":\"proc-1\",\"endOfProcedure\":41}", ResultJson.endOfProcedure("proc-1", 41));
    }

    @Test
    void masksAreWrittenInTheEvalLayoutNamedAfterTheReplayedFrames(@TempDir Path dir) throws Exception {
        Path frames = Files.createDirectories(dir.resolve("Frame").resolve("proc-1"));
        for (String n : List.of("b_0002.jpg", "a_0001.jpg", "c_0003.jpg")) {
            Files.write(frames.resolve(n), new byte[] {1});
        }
        MaskFolder withNames = new MaskFolder(dir.resolve("pred/SALI/live"), dir.resolve("Frame"));
        assertEquals(dir.resolve("pred/SALI/live/proc-1/b_0002.png"), withNames.write(mask(1)));
        assertEquals(
                dir.resolve("pred/SALI/live/proc-1/frame00004.png"),
                withNames.write(mask(3)),
                "past the folder's frames");
        MaskFolder plain = new MaskFolder(dir.resolve("out"), null);
        Path f = plain.write(mask(0));
        assertEquals("frame00001.png", f.getFileName().toString());
        assertEquals(4, MaskPng.decodeGray(Files.readAllBytes(f)).width());
    }

    private static MaskEnvelope mask(long i) {
        return new MaskEnvelope(
                "proc-1",
                i,
                1_000_000,
                1_080_000,
                "sali",
                "t",
                4,
                3,
                0.75f,
                12,
                0.5f,
                List.of(new BoundingBox(0, 2, 4, 1, 0.75f)),
                MaskPng.encodeProbabilities(new float[12], 4, 3));
    }
}
