package org.salistream.codec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one instance of a versioned binary format, strictly: every read names its field, and every failure
 * (wrong magic, unsupported version, a read or a declared length past the end, an unknown enum code,
 * trailing bytes) is a {@link CorruptFormatException} naming the format and that field. Lengths are
 * checked against the bytes left before anything is allocated, so a corrupt length never allocates more
 * than the input holds.
 *
 * <p>Formats are written big-endian by {@link FormatWriter}. {@link #littleEndian} exists only to read
 * versions written before the codec (the memory bank's and frame features' version 1).
 */
public final class FormatReader {

    private final String format;
    private final ByteBuffer b;

    private FormatReader(String format, byte[] bytes, ByteOrder order) {
        if (bytes == null) {
            throw new CorruptFormatException(format, "no bytes (null)");
        }
        this.format = format;
        this.b = ByteBuffer.wrap(bytes).order(order);
    }

    /** A reader of {@link FormatWriter}'s byte order; {@code format} names the format in messages. */
    public static FormatReader of(String format, byte[] bytes) {
        return new FormatReader(format, bytes, ByteOrder.BIG_ENDIAN);
    }

    /** A little-endian reader, for versions written before the codec only. */
    public static FormatReader littleEndian(String format, byte[] bytes) {
        return new FormatReader(format, bytes, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Opens an instance of a format whose version 1 predates the codec and was little-endian, with the magic
     * written as a little-endian int (so its bytes reversed); versions 2 to {@code maxVersion} are the codec's.
     * The header is read: the reader stands at the first field, in the byte order of the version found.
     */
    public static FormatReader withLittleEndianVersion1(String format, byte[] bytes, byte[] magic, int maxVersion) {
        byte[] reversed = new byte[magic.length];
        for (int i = 0; i < magic.length; i++) {
            reversed[i] = magic[magic.length - 1 - i];
        }
        if (startsWith(bytes, reversed)) {
            FormatReader r = littleEndian(format, bytes);
            r.header(reversed, 1, 1);
            return r;
        }
        FormatReader r = of(format, bytes);
        r.header(magic, 2, maxVersion);
        return r;
    }

    /** Whether some bytes begin with a magic (to tell a format's versions or byte orders apart). */
    public static boolean startsWith(byte[] bytes, byte[] magic) {
        return bytes != null
                && bytes.length >= magic.length
                && Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length);
    }

    /**
     * Reads the header: the magic, then a u8 version that must be within {@code [minVersion, maxVersion]}.
     *
     * @return the version
     */
    public int header(byte[] magic, int minVersion, int maxVersion) {
        if (b.remaining() < magic.length + 1
                || !Arrays.equals(b.array(), b.position(), b.position() + magic.length, magic, 0, magic.length)) {
            throw new CorruptFormatException(format, "not this format (the magic " + printable(magic) + " is missing)");
        }
        b.position(b.position() + magic.length);
        int version = b.get() & 0xFF;
        if (version < minVersion || version > maxVersion) {
            throw new CorruptFormatException(
                    format,
                    "version " + version + " is not supported (this build reads "
                            + (minVersion == maxVersion
                                    ? "version " + minVersion
                                    : "versions " + minVersion + " to " + maxVersion)
                            + ")");
        }
        return version;
    }

    /** An unsigned byte. */
    public int u8(String field) {
        return need(field, 1).get() & 0xFF;
    }

    /** A boolean byte, which must be 0 or 1. */
    public boolean bool(String field) {
        int v = u8(field);
        if (v > 1) {
            throw new CorruptFormatException(format, field + " is " + v + ", not a boolean");
        }
        return v == 1;
    }

    /** An unsigned 16-bit value. */
    public int u16(String field) {
        return need(field, 2).getShort() & 0xFFFF;
    }

    /** A signed 32-bit value. */
    public int i32(String field) {
        return need(field, 4).getInt();
    }

    /** A 32-bit value that must lie in {@code [min, max]} (a count or a size). */
    public int i32(String field, int min, int max) {
        int v = i32(field);
        if (v < min || v > max) {
            throw new CorruptFormatException(format, field + " is " + v + ", outside " + min + ".." + max);
        }
        return v;
    }

    /** A signed 64-bit value. */
    public long i64(String field) {
        return need(field, 8).getLong();
    }

    /** A 32-bit float. */
    public float f32(String field) {
        return need(field, 4).getFloat();
    }

    /** {@code count} floats, after checking that they are all there. */
    public float[] f32s(String field, long count) {
        if (count < 0 || count > remaining() / 4) {
            throw new CorruptFormatException(
                    format, field + " declares " + count + " floats but " + remaining() + " bytes are left");
        }
        float[] out = new float[(int) count];
        b.asFloatBuffer().get(out);
        b.position(b.position() + 4 * out.length);
        return out;
    }

    /** {@code n} raw bytes, after checking that they are all there. */
    public byte[] bytes(String field, long n) {
        if (n < 0 || n > remaining()) {
            throw new CorruptFormatException(
                    format, field + " declares " + n + " bytes but " + remaining() + " are left");
        }
        byte[] out = new byte[(int) n];
        b.get(out);
        return out;
    }

    /** Bytes with an i32 length before them. */
    public byte[] blob(String field) {
        return bytes(field, i32(field + " length"));
    }

    /** Text as a u16 length and strict UTF-8. */
    public String shortText(String field) {
        byte[] utf8 = bytes(field, u16(field + " length"));
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFormatException(format, field + " is not valid UTF-8", e);
        }
    }

    /** An enum constant by its one-byte explicit code. */
    public <E extends Enum<E> & Coded> E code(String field, Class<E> type) {
        int c = u8(field);
        for (E e : type.getEnumConstants()) {
            if (e.code() == c) {
                return e;
            }
        }
        throw new CorruptFormatException(format, field + " has the unknown code " + c);
    }

    /** Bytes not yet read. */
    public int remaining() {
        return b.remaining();
    }

    /** Requires that everything was read. */
    public void end() {
        if (b.hasRemaining()) {
            throw new CorruptFormatException(format, b.remaining() + " trailing bytes");
        }
    }

    /** A failure of this format, for the checks a format makes on the values it read. */
    public CorruptFormatException corrupt(String detail) {
        return new CorruptFormatException(format, detail);
    }

    private ByteBuffer need(String field, int n) {
        if (b.remaining() < n) {
            throw new CorruptFormatException(
                    format,
                    "truncated inside " + field + " (" + b.remaining() + " of " + n + " bytes left)",
                    new BufferUnderflowException());
        }
        return b;
    }

    private static String printable(byte[] magic) {
        StringBuilder s = new StringBuilder("'");
        for (byte x : magic) {
            s.append(x >= 0x20 && x < 0x7F ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xFF));
        }
        return s.append('\'').toString();
    }
}
