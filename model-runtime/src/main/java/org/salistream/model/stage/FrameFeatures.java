package org.salistream.model.stage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One frame's encoded features as a plain value: SALI's three 32-channel maps at 1/8, 1/16 and 1/32 of
 * the model size (the output of {@code backbone.feat_net}), channel-major float arrays. A frame is encoded
 * once; its features serve as "current" for its own mask and as "neighbour" for the adjacent frame's.
 * Immutable by convention (arrays are never written after construction).
 */
public final class FrameFeatures {

    /** Version of the serialised form. */
    public static final byte FORMAT_VERSION = 1;

    private static final int MAGIC = 0x53414C46; // "SALF"

    private final int channels;
    private final int[] heights;
    private final int[] widths;
    private final float[][] maps;

    /**
     * @param channels C (32)
     * @param heights h_i per scale
     * @param widths w_i per scale
     * @param maps per scale (C, h_i, w_i), channel-major
     */
    public FrameFeatures(int channels, int[] heights, int[] widths, float[][] maps) {
        if (heights.length != maps.length || widths.length != maps.length) {
            throw new IllegalArgumentException("one height and width per map");
        }
        for (int i = 0; i < maps.length; i++) {
            if (maps[i].length != channels * heights[i] * widths[i]) {
                throw new IllegalArgumentException("map " + i + " holds " + maps[i].length + " values, expected "
                        + channels + " x " + heights[i] + " x " + widths[i]);
            }
        }
        this.channels = channels;
        this.heights = heights.clone();
        this.widths = widths.clone();
        this.maps = maps.clone();
    }

    /** Number of scales (3). */
    public int scales() {
        return maps.length;
    }

    /** Channels per map. */
    public int channels() {
        return channels;
    }

    /** Height of scale i. */
    public int height(int i) {
        return heights[i];
    }

    /** Width of scale i. */
    public int width(int i) {
        return widths[i];
    }

    /** The map of scale i, (C, h_i, w_i); do not modify. */
    public float[] map(int i) {
        return maps[i];
    }

    /** Bytes held by the maps. */
    public long byteSize() {
        long n = 0;
        for (float[] m : maps) {
            n += 4L * m.length;
        }
        return n;
    }

    /** Whether another frame's features have the same shapes (so that the two can be batched or paired). */
    public boolean sameShape(FrameFeatures o) {
        return channels == o.channels && Arrays.equals(heights, o.heights) && Arrays.equals(widths, o.widths);
    }

    /** The compact serialised form (little-endian, versioned). */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 4 + 4 + 8 * maps.length + (int) byteSize())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).put(FORMAT_VERSION).putInt(channels).putInt(maps.length);
        for (int i = 0; i < maps.length; i++) {
            b.putInt(heights[i]).putInt(widths[i]);
        }
        for (float[] m : maps) {
            b.asFloatBuffer().put(m);
            b.position(b.position() + 4 * m.length);
        }
        return b.array();
    }

    /**
     * Reads the serialised form.
     *
     * @throws IllegalArgumentException for a corrupt buffer or an unknown version
     */
    public static FrameFeatures fromBytes(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt() != MAGIC) {
                throw new IllegalArgumentException("not serialised SALI frame features");
            }
            byte version = b.get();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("frame features format version " + version + " is not supported");
            }
            int c = b.getInt();
            int n = b.getInt();
            if (c <= 0 || n <= 0 || n > 8) {
                throw new IllegalArgumentException("corrupt frame features: " + c + " channels, " + n + " maps");
            }
            int[] hs = new int[n];
            int[] ws = new int[n];
            for (int i = 0; i < n; i++) {
                hs[i] = b.getInt();
                ws[i] = b.getInt();
            }
            float[][] maps = new float[n][];
            for (int i = 0; i < n; i++) {
                // Sides up to 2^16 keep C x h x w (C < 2^31) inside a long.
                if (hs[i] <= 0 || ws[i] <= 0 || hs[i] > 1 << 16 || ws[i] > 1 << 16) {
                    throw new IllegalArgumentException("corrupt frame features: map " + i + " of " + hs[i] + "x"
                            + ws[i]);
                }
                long count = (long) c * hs[i] * ws[i];
                if (count > b.remaining() / 4) {
                    throw new IllegalArgumentException("corrupt frame features: map " + i + " exceeds the buffer");
                }
                maps[i] = new float[(int) count];
                b.asFloatBuffer().get(maps[i]);
                b.position(b.position() + 4 * maps[i].length);
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("corrupt frame features: " + b.remaining() + " trailing bytes");
            }
            return new FrameFeatures(c, hs, ws, maps);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt frame features: truncated", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameFeatures f && sameShape(f) && Arrays.deepEquals(maps, f.maps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(heights) * 31 + channels;
    }

    @Override
    public String toString() {
        return "FrameFeatures[" + channels + "x" + Arrays.toString(heights) + "x" + Arrays.toString(widths) + "]";
    }
}
