package org.salistream.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The key of every SALI Stream topic: the procedure id as UTF-8 text, 1..{@value #MAX_BYTES} bytes,
 * no control characters. Keying by procedure keeps each procedure's frames in one partition, in order.
 * Strict both ways: a null, empty or malformed key is a {@link SerializationException} with a message.
 * Usable as {@code key.serializer}/{@code key.deserializer} class or through {@link #encode}/{@link #decode}.
 */
public final class ProcedureIdSerde implements Serializer<String>, Deserializer<String> {

    /** Longest accepted procedure id in UTF-8 bytes. */
    public static final int MAX_BYTES = 256;

    /** Checks a procedure id and returns it; {@link IllegalArgumentException} when unusable. */
    public static String require(String procedureId) {
        return HeaderCodec.requireText("procedure id", procedureId, MAX_BYTES);
    }

    /** The key bytes of a procedure id. */
    public static byte[] encode(String procedureId) {
        try {
            return require(procedureId).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SerializationException(e.getMessage());
        }
    }

    /** The procedure id in a key; {@link SerializationException} for null, empty, non-UTF-8 or control characters. */
    public static String decode(byte[] key) {
        if (key == null) {
            throw new SerializationException("the record has no key; the key must be the procedure id");
        }
        if (key.length == 0 || key.length > MAX_BYTES) {
            throw new SerializationException(
                    "the key has " + key.length + " bytes; a procedure id has 1.." + MAX_BYTES);
        }
        String id;
        try {
            id = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SerializationException("the key " + HeaderCodec.quote(key) + " is not valid UTF-8");
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new SerializationException("the key " + HeaderCodec.quote(key) + " contains control characters");
        }
        return id;
    }

    @Override
    public byte[] serialize(String topic, String procedureId) {
        return encode(procedureId);
    }

    @Override
    public String deserialize(String topic, byte[] key) {
        return decode(key);
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing to release
    }
}
