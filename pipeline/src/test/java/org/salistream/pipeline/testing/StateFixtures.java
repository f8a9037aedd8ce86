package org.salistream.pipeline.testing;

import java.util.Random;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.FrameFeatures;

/**
 * Synthetic SALI states of real shapes for serializer and state-cost tests, built through the value
 * types' own operations ({@link MemoryState#withFrameAdded}, {@link MemoryState#withRead}) so that they
 * are reachable states, not hand-assembled arrays.
 */
public final class StateFixtures {

    /** Positions per frame at the three scales of SALI-B5 at 352x352 (44^2, 22^2, 11^2). */
    public static final int[] B5_POSITIONS = {1936, 484, 121};
    /** Key channels of the memory bank as the brief sizes it. */
    public static final int KEY_CHANNELS = 4;
    /** Value channels of the memory bank as the brief sizes it. */
    public static final int VALUE_CHANNELS = 16;
    /** The published {@code test_mem_length}. */
    public static final int MEM_LENGTH = 35;

    private StateFixtures() {}

    /** Random keys (or values) of one frame at every scale: per scale (C, n_i), channel-major. */
    public static float[][] entries(Random r, int[] positions, int channels) {
        float[][] out = new float[positions.length][];
        for (int i = 0; i < positions.length; i++) {
            out[i] = new float[channels * positions[i]];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (float) r.nextGaussian();
            }
        }
        return out;
    }

    /** A read's usage increments for every entry of a bank: per scale (N_i). */
    public static float[][] usage(Random r, MemoryState m) {
        float[][] u = new float[MemoryState.SCALES][];
        for (int i = 0; i < MemoryState.SCALES; i++) {
            u[i] = new float[m.scale(i).length()];
            for (int j = 0; j < u[i].length; j++) {
                u[i][j] = r.nextFloat();
            }
        }
        return u;
    }

    /**
     * A bank of {@code frames} frames, each added and then read once (so usage and life are not the
     * initial constants), never past {@code memLength} (no removal).
     */
    public static MemoryState memory(int[] positions, int keyChannels, int valueChannels, int frames, long seed) {
        Random r = new Random(seed);
        MemoryState m = MemoryState.empty();
        for (int f = 0; f < frames; f++) {
            m = m.withFrameAdded(
                    entries(r, positions, keyChannels),
                    entries(r, positions, valueChannels),
                    positions,
                    Math.max(frames, 1));
            m = m.withRead(usage(r, m));
        }
        return m;
    }

    /** The full-size bank of SALI-B5 at 352: 35 frames of 1936/484/121 positions, 4 key and 16 value channels. */
    public static MemoryState b5Memory() {
        return memory(B5_POSITIONS, KEY_CHANNELS, VALUE_CHANNELS, MEM_LENGTH, 352);
    }

    /** Bytes of the raw float arrays of a bank (keys, values, usage, life). */
    public static long rawBytes(int[] positions, int keyChannels, int valueChannels, int frames) {
        long n = 0;
        for (int p : positions) {
            n += 4L * (keyChannels + valueChannels + 2) * p * frames;
        }
        return n;
    }

    /** One frame's encoded features: {@code channels} maps at sides {@code side}, side/2, side/4. */
    public static FrameFeatures features(int channels, int side, long seed) {
        Random r = new Random(seed);
        int[] hs = {side, side / 2, side / 4};
        float[][] maps = new float[3][];
        for (int i = 0; i < 3; i++) {
            maps[i] = new float[channels * hs[i] * hs[i]];
            for (int j = 0; j < maps[i].length; j++) {
                maps[i][j] = (float) r.nextGaussian();
            }
        }
        return new FrameFeatures(channels, hs, hs, maps);
    }
}
