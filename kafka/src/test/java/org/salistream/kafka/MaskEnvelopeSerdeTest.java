package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class MaskEnvelopeSerdeTest {

    static MaskEnvelope sample() {
        float[] p = new float[64 * 48];
        for (int y = 10; y < 30; y++) {
            for (int x = 20; x < 44; x++) {
                p[y * 64 + x] = 0.9f;
            }
        }
        return new MaskEnvelope(
                "proc-ü-1",
                1234,
                1_767_225_600_000_000L,
                1_767_225_600_041_500L,
                "sali-pvtv2-b5",
                "2024.1+sha256:ab12",
                64,
                48,
                0.9f,
                480,
                0.5f,
                List.of(new BoundingBox(20, 10, 24, 20, 0.9f), new BoundingBox(0, 0, 1, 1, 0.51f)),
                MaskPng.encodeProbabilities(p, 64, 48));
    }

    @Test
    void anEnvelopeSurvivesTheRoundTripFieldForField() {
        MaskEnvelope m = sample();
        byte[] bytes = MaskEnvelopeSerde.encode(m);
        MaskEnvelope back = MaskEnvelopeSerde.decode(bytes);
        assertEquals(m, back);
        assertArrayEquals(m.maskPng(), back.maskPng());
        assertEquals(41.5, back.latencyMillis(), 1e-9);
        assertEquals(229, MaskPng.decodeGray(back.maskPng()).at(30, 20));
    }

    @Test
    void anEnvelopeWithoutBoxesRoundTrips() {
        MaskEnvelope m = sample();
        MaskEnvelope empty =
                new MaskEnvelope(m.procedureId(), 0, 0, 0, "m", "v", 64, 48, 0f, 0, 0.5f, List.of(), m.maskPng());
        assertEquals(empty, MaskEnvelopeSerde.decode(MaskEnvelopeSerde.encode(empty)));
    }

    @Test
    void theLayoutStartsWithMagicVersionAndTheBigEndianFields() {
        ByteBuffer b = ByteBuffer.wrap(MaskEnvelopeSerde.encode(sample()));
        byte[] magic = new byte[4];
        b.get(magic);
        assertEquals("SMSK", new String(magic));
        assertEquals(1, b.get());
        int n = b.getShort();
        assertEquals("proc-ü-1".getBytes(java.nio.charset.StandardCharsets.UTF_8).length, n);
        b.position(b.position() + n);
        assertEquals(1234, b.getLong());
    }

    @Test
    void everyTruncationIsASerializationErrorNotACrash() {
        byte[] bytes = MaskEnvelopeSerde.encode(sample());
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            SerializationException e =
                    assertThrows(SerializationException.class, () -> MaskEnvelopeSerde.decode(cut), "length " + len);
            assertTrue(e.getMessage().startsWith("corrupt mask envelope: "), e.getMessage());
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = MaskEnvelopeSerde.encode(sample());
        SerializationException e = assertThrows(
                SerializationException.class, () -> MaskEnvelopeSerde.decode(Arrays.copyOf(bytes, bytes.length + 3)));
        assertEquals("corrupt mask envelope: 3 trailing bytes", e.getMessage());
    }

    @Test
    void aWrongMagicOrVersionIsNamed() {
        byte[] bytes = MaskEnvelopeSerde.encode(sample());
        byte[] json = "{\"frameIndex\":1}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(assertThrows(SerializationException.class, () -> MaskEnvelopeSerde.decode(json))
                .getMessage()
                .startsWith("corrupt mask envelope: not this format (the magic 'SMSK' is missing)"));
        bytes[4] = 2;
        assertEquals(
                "corrupt mask envelope: version 2 is not supported (this build reads version 1)",
                assertThrows(SerializationException.class, () -> MaskEnvelopeSerde.decode(bytes))
                        .getMessage());
    }

    @Test
    void anOutOfRangeFieldIsRejectedOnDecode() {
        byte[] bytes = MaskEnvelopeSerde.encode(sample());
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int pidLen = b.getShort(5);
        int maxProbOffset = 5 + 2 + pidLen + 24 + 2 + "sali-pvtv2-b5".length() + 2 + "2024.1+sha256:ab12".length() + 8;
        b.putFloat(maxProbOffset, 1.5f);
        SerializationException e = assertThrows(SerializationException.class, () -> MaskEnvelopeSerde.decode(bytes));
        assertEquals(
                "mask envelope holds an invalid field: max probability must be in [0, 1], got 1.5", e.getMessage());
    }

    @Test
    void theDeserializerReturnsNullForTheEndOfProcedureMarker() {
        MaskEnvelopeSerde serde = new MaskEnvelopeSerde();
        assertNull(
                serde.deserialize(Topics.MASKS, FrameHeaders.writeEndOfProcedure(new RecordHeaders(), 9), new byte[0]));
        assertNull(serde.deserialize(Topics.MASKS, null));
        assertEquals(
                sample(),
                serde.deserialize(Topics.MASKS, new RecordHeaders(), serde.serialize(Topics.MASKS, sample())));
    }

    @Test
    void theEnvelopeChecksBoxesAgainstTheFrameAndNeverPrintsTheMask() {
        MaskEnvelope m = sample();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new MaskEnvelope(
                        "p",
                        0,
                        0,
                        0,
                        "m",
                        "v",
                        64,
                        48,
                        0.5f,
                        1,
                        0.5f,
                        List.of(new BoundingBox(60, 0, 5, 1, 0.5f)),
                        m.maskPng()));
        assertTrue(e.getMessage().contains("lies outside the 64x48 frame"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new MaskEnvelope("p", 0, 0, 0, "m", "v", 64, 48, 0.5f, 1, 0.5f, List.of(), new byte[] {1, 2, 3}));
        assertTrue(m.toString().contains("png=" + m.maskPng().length + " bytes"), m.toString());
    }
}
