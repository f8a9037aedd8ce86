package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AlertEventSerdeTest {

    static final AlertEvent.Hysteresis HYST = new AlertEvent.Hysteresis(3, 5, 10, 0.5f);

    static AlertEvent appeared() {
        return new AlertEvent(
                "proc-1",
                AlertEvent.Type.APPEARED,
                212,
                208,
                212,
                1_767_225_600_000_000L,
                1_767_225_600_040_000L,
                0.93f,
                new BoundingBox(101, 54, 80, 66, 0.93f),
                HYST);
    }

    private static String json(AlertEvent e) {
        return new String(AlertEventSerde.encode(e), StandardCharsets.UTF_8);
    }

    private static AlertEvent decode(String json) {
        return AlertEventSerde.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAppearedEventSurvivesTheRoundTrip() {
        assertEquals(appeared(), AlertEventSerde.decode(AlertEventSerde.encode(appeared())));
    }

    @Test
    void aClearedEventWithoutBoxRoundTrips() {
        AlertEvent cleared = new AlertEvent("proc-1", AlertEvent.Type.CLEARED, 240, 208, 229, 5, 6, 0.97f, null, HYST);
        assertEquals(cleared, AlertEventSerde.decode(AlertEventSerde.encode(cleared)));
        assertTrue(json(cleared).contains("\"box\":null"), json(cleared));
    }

    @Test
    void theJsonIsTheDocumentedSchemaWithShortFloats() {
        assertEquals(
                "{\"version\":1,\"procedureId\":\"proc-1\",\"type\":\"APPEARED\",\"frameIndex\":212,\"firstFrameIndex\":208,"
                        + "\"lastFrameIndex\":212,\"captureMicros\":1767225600000000,\"emitMicros\":1767225600040000,\"confidence\":0.93,"
                        + "\"box\":{\"x\":101,\"y\":54,\"w\":80,\"h\":66,\"score\":0.93},"
                        + "\"hysteresis\":{\"appearK\":3,\"appearN\":5,\"clearM\":10,\"threshold\":0.5}}",
                json(appeared()));
    }

    @Test
    void awkwardFloatsComeBackBitForBit() {
        for (float f : new float[] {0.1f, 1e-7f, 0.33333334f, Math.nextDown(1f), Float.MIN_VALUE}) {
            AlertEvent e = new AlertEvent("p", AlertEvent.Type.APPEARED, 1, 1, 1, 0, 0, f, null, HYST);
            assertEquals(
                    Float.floatToIntBits(f),
                    Float.floatToIntBits(
                            AlertEventSerde.decode(AlertEventSerde.encode(e)).confidence()));
        }
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        String withExtra = json(appeared()).replace("{\"version\":1,", "{\"version\":1,\"modelVersion\":\"x\",");
        assertEquals(appeared(), decode(withExtra));
    }

    @Test
    void aMissingFieldIsNamed() {
        String noFrame = json(appeared()).replace("\"frameIndex\":212,", "");
        assertEquals(
                "alert field 'frameIndex' is missing",
                assertThrows(SerializationException.class, () -> decode(noFrame))
                        .getMessage());
        String noBox = json(appeared()).replaceAll(",\"box\":\\{[^}]*}", "");
        assertTrue(assertThrows(SerializationException.class, () -> decode(noBox))
                .getMessage()
                .startsWith("alert field 'box' is missing"));
    }

    @Test
    void wrongTypesVersionsAndValuesAreRejectedWithMessages() {
        assertEquals(
                "alert field 'type' is 'SPOTTED'; expected APPEARED or CLEARED",
                assertThrows(
                                SerializationException.class,
                                () -> decode(json(appeared()).replace("APPEARED", "SPOTTED")))
                        .getMessage());
        assertEquals(
                "alert version 2 is not supported (this reader knows 1)",
                assertThrows(
                                SerializationException.class,
                                () -> decode(json(appeared()).replace("\"version\":1", "\"version\":2")))
                        .getMessage());
        assertEquals(
                "alert field 'frameIndex' must be an integer, got \"212\"",
                assertThrows(
                                SerializationException.class,
                                () -> decode(json(appeared()).replace("\"frameIndex\":212", "\"frameIndex\":\"212\"")))
                        .getMessage());
        assertEquals(
                "alert holds an invalid field: confidence must be in [0, 1], got 1.5",
                assertThrows(
                                SerializationException.class,
                                () -> decode(json(appeared()).replace("\"confidence\":0.93", "\"confidence\":1.5")))
                        .getMessage());
        assertTrue(assertThrows(SerializationException.class, () -> decode("[1,2]"))
                .getMessage()
                .contains("must be a JSON object"));
        assertTrue(assertThrows(SerializationException.class, () -> decode("{\"version\":"))
                .getMessage()
                .startsWith("the alert value is not JSON"));
    }

    @Test
    void theKafkaSerdeMapsNullToNull() {
        AlertEventSerde serde = new AlertEventSerde();
        assertNull(serde.serialize(Topics.ALERTS, null));
        assertNull(serde.deserialize(Topics.ALERTS, null));
        assertEquals(appeared(), serde.deserialize(Topics.ALERTS, serde.serialize(Topics.ALERTS, appeared())));
    }

    @Test
    void theHysteresisAndFrameRangeAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new AlertEvent.Hysteresis(4, 3, 1, 0.5f));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AlertEvent("p", AlertEvent.Type.APPEARED, 5, 6, 7, 0, 0, 0.5f, null, HYST));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AlertEvent("p", AlertEvent.Type.APPEARED, 8, 6, 5, 0, 0, 0.5f, null, HYST));
    }
}
