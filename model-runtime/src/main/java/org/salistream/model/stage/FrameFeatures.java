package org.salistream.model.stage;

import java.util.Arrays;
import org.salistream.codec.FormatReader;
import org.salistream.codec.FormatWriter;

/**
 * One frame's encoded features as a plain value: SALI's three 32-channel maps at 1/8, 1/16 and 1/32 of
 * the model size (the output of {@code backbone.feat_net}), channel-major float arrays. A frame is encoded
 * once; its features serve as "current" for its own mask and as "neighbour" for the adjacent frame's.
 * Immutable by convention (arrays are never written after construction).
 *
 * <p>Serialised form, written with the shared codec: magic {@code SALF}, u8 version 2, i32 channels, i32 maps,
 * per map i32 height and width, then the maps as f32, all big-endian. Version 1 (the same fields
 * little-endian, magic bytes {@code FLAS}) is what the first release checkpointed; both are read.
 */
public final class FrameFeatures {

    /** Version of the serialised form written. */
    public static final byte FORMAT_VERSION = 2;

    private static final String FORMAT = "frame features";
    private static final byte[] MAGIC = {'S', 'A', 'L', 'F'};

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

    /** The compact serialised form (version {@value #FORMAT_VERSION}). */
    public byte[] toBytes() {
        FormatWriter w = FormatWriter.start(MAGIC, FORMAT_VERSION, 4 + 1 + 4 + 4 + 8 * maps.length + (int) byteSize())
                .i32(channels)
                .i32(maps.length);
        for (int i = 0; i < maps.length; i++) {
            w.i32(heights[i]).i32(widths[i]);
        }
        for (float[] m : maps) {
            w.f32s(m);
        }
        return w.toByteArray();
    }

    /**
     * Reads the serialised form, version 2 or the first release's version 1 (same fields, little-endian).
     *
     * @throws IllegalArgumentException ({@link org.salistream.codec.CorruptFormatException}) for a corrupt
     *     buffer or an unknown version
     */
    public static FrameFeatures fromBytes(byte[] bytes) {
        FormatReader r = FormatReader.withLittleEndianVersion1(FORMAT, bytes, MAGIC, FORMAT_VERSION);
        int c = r.i32("channels", 1, Integer.MAX_VALUE);
        int n = r.i32("maps", 1, 8);
        int[] hs = new int[n];
        int[] ws = new int[n];
        for (int i = 0; i < n; i++) {
            // Sides up to 2^16 keep C x h x w (C < 2^31) inside a long.
            hs[i] = r.i32("map " + i + " height", 1, 1 << 16);
            ws[i] = r.i32("map " + i + " width", 1, 1 << 16);
        }
        float[][] maps = new float[n][];
        for (int i = 0; i < n; i++) {
            maps[i] = r.f32s("map " + i, (long) c * hs[i] * ws[i]);
        }
        r.end();
        return new FrameFeatures(c, hs, ws, maps);
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
