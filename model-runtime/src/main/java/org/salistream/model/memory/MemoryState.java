package org.salistream.model.memory;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

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
 * <p>Serialised form ({@link #toBytes}): little-endian, versioned, see {@link #FORMAT_VERSION}.
 */
public final class MemoryState {

    /** Version of the serialised form. */
    public static final byte FORMAT_VERSION = 1;
    /** Number of scales (1/8, 1/16, 1/32). */
    public static final int SCALES = 3;

    private static final int MAGIC = 0x53414C4D; // "SALM"
    private static final MemoryState EMPTY = new MemoryState(0, new ScaleMemory[] {
        ScaleMemory.empty(0, 0), ScaleMemory.empty(0, 0), ScaleMemory.empty(0, 0)});

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
            throw new IllegalArgumentException("frame of " + positions[0] + " positions added to a memory of "
                    + hw0 + "-position frames (frame size changed within a procedure)");
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

    /** The compact serialised form. */
    public byte[] toBytes() {
        int size = 4 + 1 + 4;
        for (ScaleMemory s : scales) {
            size += 12 + (int) s.byteSize();
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).put(FORMAT_VERSION).putInt(hw0);
        for (ScaleMemory s : scales) {
            b.putInt(s.keyChannels()).putInt(s.valueChannels()).putInt(s.length());
            b.asFloatBuffer().put(s.keys()).put(s.values()).put(s.usage()).put(s.life());
            b.position(b.position() + (int) s.byteSize());
        }
        return b.array();
    }

    /**
     * Reads the serialised form.
     *
     * @throws IllegalArgumentException for a corrupt buffer or an unknown version
     */
    public static MemoryState fromBytes(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt() != MAGIC) {
                throw new IllegalArgumentException("not a serialised SALI memory bank");
            }
            byte version = b.get();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("memory bank format version " + version
                        + " is not supported (this build reads version " + FORMAT_VERSION + ")");
            }
            int hw0 = b.getInt();
            ScaleMemory[] scales = new ScaleMemory[SCALES];
            for (int i = 0; i < SCALES; i++) {
                int ck = b.getInt();
                int cv = b.getInt();
                int n = b.getInt();
                if (ck < 0 || cv < 0 || n < 0 || ((long) ck + cv + 2) * n * 4 > b.remaining()) {
                    throw new IllegalArgumentException("corrupt memory bank: scale " + i + " sizes " + ck + "/"
                            + cv + "/" + n + " exceed the " + b.remaining() + " bytes left");
                }
                float[] k = read(b, ck * n);
                float[] v = read(b, cv * n);
                float[] u = read(b, n);
                float[] l = read(b, n);
                scales[i] = new ScaleMemory(ck, cv, n, k, v, u, l);
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("corrupt memory bank: " + b.remaining() + " trailing bytes");
            }
            if (hw0 < 0 || hw0 == 0 && scales[0].length() > 0) {
                throw new IllegalArgumentException("corrupt memory bank: " + hw0 + " positions per frame for "
                        + scales[0].length() + " entries");
            }
            return new MemoryState(hw0, scales);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt memory bank: truncated", e);
        }
    }

    private static float[] read(ByteBuffer b, int n) {
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        b.position(b.position() + 4 * n);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MemoryState m) || m.hw0 != hw0) {
            return false;
        }
        for (int i = 0; i < SCALES; i++) {
            ScaleMemory a = scales[i];
            ScaleMemory c = m.scales[i];
            if (a.length() != c.length() || !Arrays.equals(a.keys(), c.keys()) || !Arrays.equals(a.values(), c.values())
                    || !Arrays.equals(a.usage(), c.usage()) || !Arrays.equals(a.life(), c.life())) {
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
