package org.salistream.model.memory;

import java.util.Arrays;
import org.salistream.codec.FormatReader;
import org.salistream.codec.FormatWriter;

/**
 * SALI's long-term memory bank for one procedure as a plain, immutable value (the published
 * {@code MemoryBank} of {@code lib/long_term.py}, batch 1): three scales of keys, values, usage and life
 * counts. A stream processor keeps one per procedure in keyed state; every operation returns a new state
 * and shares the arrays it does not change, so reading the memory each frame copies only the usage and life
 * counts.
 *
 * <p>Its size is bounded by {@code mem_length}: an add that finds {@code mem_length} frames or more in the
 * bank is followed by the usage-based removal of {@code obsolete_features_removing}, with its exact
 * semantics: entries are ranked by {@code usage / life}, the cut-off is the k-th smallest value with
 * {@code k = size - mem_length * hw0 / 4^scale}, and every entry whose normalised usage is not above the
 * cut-off is removed, ties included. New entries have usage 0, so they are removed when the cut-off is 0.
 *
 * <p>Serialised form ({@link #toBytes}), written with the shared codec: magic {@code SALM}, u8 version 2, i32
 * positions per frame, then per scale i32 key channels, i32 value channels, i32 entries and the keys, values,
 * usage and life as f32, all big-endian. Version 1 (the same fields little-endian, magic bytes {@code MLAS})
 * is what the first release checkpointed; {@link #fromBytes} reads both.
 */
public final class MemoryState {

    /** Version of the serialised form written. */
    public static final byte FORMAT_VERSION = 2;
    /** Number of scales (1/8, 1/16, 1/32). */
    public static final int SCALES = 3;

    private static final String FORMAT = "memory bank";
    private static final byte[] MAGIC = {'S', 'A', 'L', 'M'};
    private static final MemoryState EMPTY = new MemoryState(
            0, new ScaleMemory[] {ScaleMemory.empty(0, 0), ScaleMemory.empty(0, 0), ScaleMemory.empty(0, 0)});

    private final int hw0;
    private final ScaleMemory[] scales;

    private MemoryState(int hw0, ScaleMemory[] scales) {
        this.hw0 = hw0;
        this.scales = scales;
    }

    /** The empty bank (the published {@code clear_memory()}). */
    public static MemoryState empty() {
        return EMPTY;
    }

    /** A bank from its parts; {@code hw0} is the number of positions one frame adds at scale 0. */
    public static MemoryState of(int hw0, ScaleMemory... scales) {
        if (scales.length != SCALES) {
            throw new IllegalArgumentException("a memory bank has " + SCALES + " scales, got " + scales.length);
        }
        return new MemoryState(hw0, scales.clone());
    }

    /** Whether the bank holds nothing (a new procedure). */
    public boolean isEmpty() {
        return scales[0].length() == 0;
    }

    /** Positions one frame adds at scale 0 (the published {@code hwK0}); 0 when empty. */
    public int positionsPerFrame() {
        return hw0;
    }

    /** The number of frames in the bank, {@code size0 / hw0} (the published {@code T}). */
    public int frames() {
        return hw0 == 0 ? 0 : scales[0].length() / hw0;
    }

    /** One scale. */
    public ScaleMemory scale(int i) {
        return scales[i];
    }

    /** Bytes held by the arrays of all scales. */
    public long byteSize() {
        long n = 0;
        for (ScaleMemory s : scales) {
            n += s.byteSize();
        }
        return n;
    }

    /**
     * The bank after a read that counts usage (the published {@code update_usage}): per scale,
     * {@code usage += usageNew}, {@code life += 1}. Keys and values are shared with this state.
     *
     * @param usageNew per scale, the summed top-k affinity of each entry over the query positions
     */
    public MemoryState withRead(float[][] usageNew) {
        ScaleMemory[] next = new ScaleMemory[SCALES];
        for (int i = 0; i < SCALES; i++) {
            next[i] = scales[i].withRead(usageNew[i]);
        }
        return new MemoryState(hw0, next);
    }

    /**
     * The bank after adding one frame (the published {@code add_memory}, then
     * {@code obsolete_features_removing} when the bank already held {@code memLength} frames or more).
     *
     * @param keys per scale (CK, n_i), channel-major
     * @param values per scale (CV, n_i), already weighted by {@code softmax(mask) + 1}
     * @param positions per scale, n_i (h_i x w_i)
     * @param memLength the published {@code test_mem_length}
     */
    public MemoryState withFrameAdded(float[][] keys, float[][] values, int[] positions, int memLength) {
        if (memLength <= 0) {
            throw new IllegalArgumentException("mem_length must be positive, got " + memLength);
        }
        ScaleMemory[] next = new ScaleMemory[SCALES];
        if (isEmpty()) {
            for (int i = 0; i < SCALES; i++) {
                int ck = keys[i].length / positions[i];
                int cv = values[i].length / positions[i];
                next[i] = ScaleMemory.empty(ck, cv).append(keys[i], values[i], positions[i]);
            }
            return new MemoryState(positions[0], next);
        }
        if (positions[0] != hw0) {
            throw new IllegalArgumentException("frame of " + positions[0] + " positions added to a memory of " + hw0
                    + "-position frames (frame size changed within a procedure)");
        }
        int before = frames();
        for (int i = 0; i < SCALES; i++) {
            next[i] = scales[i].append(keys[i], values[i], positions[i]);
        }
        if (before >= memLength) {
            for (int i = 0; i < SCALES; i++) {
                next[i] = removeObsolete(next[i], memLength * (double) hw0 * Math.pow(0.25, i));
            }
        }
        return new MemoryState(hw0, next);
    }

    /**
     * {@code obsolete_features_removing} at one scale. Where earlier tie removals left the scale at or
     * below its bound (k <= 0), nothing is removed; the published code would fail on an empty top-k.
     */
    static ScaleMemory removeObsolete(ScaleMemory s, double maxSize) {
        int k = (int) (s.length() - maxSize);
        if (k <= 0) {
            return s;
        }
        float[] usage = s.normalisedUsage();
        float[] sorted = usage.clone();
        Arrays.sort(sorted);
        float cutoff = sorted[k - 1];
        boolean[] keep = new boolean[usage.length];
        for (int i = 0; i < usage.length; i++) {
            keep[i] = usage[i] > cutoff;
        }
        return s.retain(keep);
    }

    /** The compact serialised form (version {@value #FORMAT_VERSION}). */
    public byte[] toBytes() {
        int size = 4 + 1 + 4;
        for (ScaleMemory s : scales) {
            size += 12 + (int) s.byteSize();
        }
        FormatWriter w = FormatWriter.start(MAGIC, FORMAT_VERSION, size).i32(hw0);
        for (ScaleMemory s : scales) {
            w.i32(s.keyChannels()).i32(s.valueChannels()).i32(s.length());
            w.f32s(s.keys()).f32s(s.values()).f32s(s.usage()).f32s(s.life());
        }
        return w.toByteArray();
    }

    /**
     * Reads the serialised form, version 2 or the first release's version 1 (same fields, little-endian).
     *
     * @throws IllegalArgumentException ({@link org.salistream.codec.CorruptFormatException}) for a corrupt
     *     buffer or an unknown version
     */
    public static MemoryState fromBytes(byte[] bytes) {
        FormatReader r = FormatReader.withLittleEndianVersion1(FORMAT, bytes, MAGIC, FORMAT_VERSION);
        int hw0 = r.i32("positions per frame", 0, Integer.MAX_VALUE);
        ScaleMemory[] scales = new ScaleMemory[SCALES];
        for (int i = 0; i < SCALES; i++) {
            int ck = r.i32("scale " + i + " key channels", 0, Integer.MAX_VALUE);
            int cv = r.i32("scale " + i + " value channels", 0, Integer.MAX_VALUE);
            int n = r.i32("scale " + i + " entries", 0, Integer.MAX_VALUE);
            if (((long) ck + cv + 2) * n * 4 > r.remaining()) {
                throw r.corrupt("scale " + i + " sizes " + ck + "/" + cv + "/" + n + " exceed the " + r.remaining()
                        + " bytes left");
            }
            float[] k = r.f32s("scale " + i + " keys", (long) ck * n);
            float[] v = r.f32s("scale " + i + " values", (long) cv * n);
            float[] u = r.f32s("scale " + i + " usage", n);
            float[] l = r.f32s("scale " + i + " life", n);
            scales[i] = new ScaleMemory(ck, cv, n, k, v, u, l);
        }
        r.end();
        if (hw0 == 0 && scales[0].length() > 0) {
            throw r.corrupt(hw0 + " positions per frame for " + scales[0].length() + " entries");
        }
        return new MemoryState(hw0, scales);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MemoryState m) || m.hw0 != hw0) {
            return false;
        }
        for (int i = 0; i < SCALES; i++) {
            ScaleMemory a = scales[i];
            ScaleMemory c = m.scales[i];
            if (a.length() != c.length()
                    || !Arrays.equals(a.keys(), c.keys())
                    || !Arrays.equals(a.values(), c.values())
                    || !Arrays.equals(a.usage(), c.usage())
                    || !Arrays.equals(a.life(), c.life())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return 31 * hw0 + scales[0].length();
    }

    @Override
    public String toString() {
        return "MemoryState[" + frames() + " frames, " + scales[0].length() + "/" + scales[1].length() + "/"
                + scales[2].length() + " positions, " + byteSize() / 1024 + " KiB]";
    }
}
