package org.salistream.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes one instance of a versioned binary format: a 4-byte magic, a u8 version, then fields, all
 * big-endian (network order, as {@link java.io.DataOutput}, Flink's views and Kafka's own protocol write,
 * and readable with Python's {@code struct} format {@code '>'}). Every format of the project is written
 * here, so that there is one byte order and one way to write lengths, text and enums.
 *
 * <p>Lengths that readers check: {@link #blob} (i32 length), {@link #shortText} (u16 length of UTF-8).
 * Arrays of a count that the format states elsewhere are written raw ({@link #f32s}).
 */
public final class FormatWriter {

    private ByteBuffer buffer;

    private FormatWriter(int capacity) {
        buffer = ByteBuffer.allocate(Math.max(16, capacity));
    }

    /**
     * Starts a format instance with its header.
     *
     * @param magic the format's 4 identifying bytes
     * @param version the version written, 1..255
     * @param sizeHint the expected total size (a buffer of it is allocated once; it grows if short)
     */
    public static FormatWriter start(byte[] magic, int version, int sizeHint) {
        if (magic.length != 4) {
            throw new IllegalArgumentException("a magic has 4 bytes, got " + magic.length);
        }
        if (version < 1 || version > 255) {
            throw new IllegalArgumentException("a version is 1..255, got " + version);
        }
        FormatWriter w = new FormatWriter(sizeHint);
        w.room(5).put(magic).put((byte) version);
        return w;
    }

    /** An unsigned byte, 0..255. */
    public FormatWriter u8(int v) {
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        room(1).put((byte) v);
        return this;
    }

    /** A boolean as one byte, 0 or 1. */
    public FormatWriter bool(boolean v) {
        room(1).put((byte) (v ? 1 : 0));
        return this;
    }

    /** An unsigned 16-bit value, 0..65535. */
    public FormatWriter u16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        room(2).putShort((short) v);
        return this;
    }

    /** A signed 32-bit value. */
    public FormatWriter i32(int v) {
        room(4).putInt(v);
        return this;
    }

    /** A signed 64-bit value. */
    public FormatWriter i64(long v) {
        room(8).putLong(v);
        return this;
    }

    /** A 32-bit IEEE float. */
    public FormatWriter f32(float v) {
        room(4).putFloat(v);
        return this;
    }

    /** Floats without a count: the format states their number in earlier fields. */
    public FormatWriter f32s(float[] v) {
        ByteBuffer b = room(4L * v.length);
        b.asFloatBuffer().put(v);
        b.position(b.position() + 4 * v.length);
        return this;
    }

    /** Bytes with an i32 length before them. */
    public FormatWriter blob(byte[] v) {
        room(4L + v.length).putInt(v.length).put(v);
        return this;
    }

    /** Text as a u16 length and UTF-8 bytes (at most 65535 bytes). */
    public FormatWriter shortText(String v) {
        byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("text of " + utf8.length + " UTF-8 bytes exceeds 65535");
        }
        room(2L + utf8.length).putShort((short) utf8.length).put(utf8);
        return this;
    }

    /** An enum constant by its explicit code, one byte. */
    public FormatWriter code(Coded v) {
        return u8(v.code());
    }

    /** The bytes written (a copy only if the size hint was not exact). */
    public byte[] toByteArray() {
        if (buffer.position() == buffer.capacity()) {
            return buffer.array();
        }
        byte[] out = new byte[buffer.position()];
        System.arraycopy(buffer.array(), 0, out, 0, out.length);
        return out;
    }

    private ByteBuffer room(long n) {
        if (buffer.remaining() < n) {
            long needed = buffer.position() + n;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a format instance cannot exceed 2 GiB");
            }
            ByteBuffer bigger = ByteBuffer.allocate(
                    (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buffer.capacity())));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        return buffer;
    }
}
