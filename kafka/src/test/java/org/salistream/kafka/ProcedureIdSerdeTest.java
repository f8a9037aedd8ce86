package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ProcedureIdSerdeTest {

    @Test
    void aProcedureIdRoundTripsAsUtf8() {
        for (String id :
                new String[] {"proc-1", "2026-01-01/OR3/Kolo-ß", "手術-7", "x".repeat(ProcedureIdSerde.MAX_BYTES)}) {
            byte[] key = Topics.keySerializer().serialize(Topics.FRAMES, id);
            assertArrayEquals(id.getBytes(StandardCharsets.UTF_8), key);
            assertEquals(id, Topics.keyDeserializer().deserialize(Topics.FRAMES, key));
        }
    }

    @Test
    void unusableKeysAreRejectedWithAReason() {
        assertEquals(
                "the record has no key; the key must be the procedure id",
                assertThrows(SerializationException.class, () -> ProcedureIdSerde.decode(null))
                        .getMessage());
        assertEquals(
                "the key has 0 bytes; a procedure id has 1..256",
                assertThrows(SerializationException.class, () -> ProcedureIdSerde.decode(new byte[0]))
                        .getMessage());
        assertEquals(
                "the key '\\xff\\xfe' is not valid UTF-8",
                assertThrows(
                                SerializationException.class,
                                () -> ProcedureIdSerde.decode(new byte[] {(byte) 0xFF, (byte) 0xFE}))
                        .getMessage());
        assertEquals(
                "the key 'a\\x09b' contains control characters",
                assertThrows(
                                SerializationException.class,
                                () -> ProcedureIdSerde.decode("a\tb".getBytes(StandardCharsets.UTF_8)))
                        .getMessage());
        assertEquals(
                "procedure id has 257 bytes in UTF-8; expected 1..256",
                assertThrows(SerializationException.class, () -> ProcedureIdSerde.encode("x".repeat(257)))
                        .getMessage());
        assertEquals(
                "procedure id contains control characters or unpaired surrogates",
                assertThrows(IllegalArgumentException.class, () -> ProcedureIdSerde.require("a\uD800b"))
                        .getMessage());
    }
}
