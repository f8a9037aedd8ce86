package org.salistream.model.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The memory bank as a value, against the published {@code MemoryBank} of {@code lib/long_term.py}:
 * usage-based removal ({@code obsolete_features_removing}) on hand-made usage values, reads
 * ({@code update_usage}), adds ({@code add_memory}), and the serialised form.
 */
class MemoryStateTest {

    /**
     * A scale of {@code n} entries whose key channel 0 holds the entry's number (to see which survive),
     * with usage {@code u} and life 1 (normalised usage = u).
     */
    private static ScaleMemory scale(float... usage) {
        int n = usage.length;
        float[] keys = new float[2 * n];
        float[] values = new float[n];
        float[] life = new float[n];
        for (int i = 0; i < n; i++) {
            keys[i] = i; // channel 0
            keys[n + i] = 100 + i; // channel 1
            values[i] = -i;
            life[i] = 1f;
        }
        return new ScaleMemory(2, 1, n, keys, values, usage.clone(), life);
    }

    /** The entry numbers left in a scale built by {@link #scale}. */
    private static int[] survivors(ScaleMemory s) {
        int[] out = new int[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) s.keys()[i];
            assertEquals(100 + out[i], s.keys()[s.length() + i], "channel 1 moves with channel 0");
            assertEquals(-out[i], s.values()[i], "values move with keys");
        }
        return out;
    }

    @Test
    void removalDropsTheLeastUsedEntriesDownToTheBound() {
        ScaleMemory s = scale(0.5f, 0.2f, 0.9f, 0.1f, 0.7f, 0.3f);
        // k = 6 - 4 = 2: cut-off = the 2nd smallest (0.2); entries <= 0.2 go.
        assertArrayEquals(new int[] {0, 2, 4, 5}, survivors(MemoryState.removeObsolete(s, 4)));
    }

    @Test
    void tiesAtTheCutOffAreAllRemovedEvenBelowTheBound() {
        ScaleMemory s = scale(0.5f, 0.2f, 0.2f, 0.2f, 0.7f, 0.3f);
        // k = 1: cut-off 0.2, and all three entries at 0.2 go, leaving 3 < 5 (the published "usage > cut-off").
        ScaleMemory kept = MemoryState.removeObsolete(s, 5);
        assertArrayEquals(new int[] {0, 4, 5}, survivors(kept));
        assertArrayEquals(new float[] {0.5f, 0.7f, 0.3f}, kept.usage());
    }

    @Test
    void usageIsNormalisedByLifeBeforeRanking() {
        ScaleMemory s = new ScaleMemory(
                1, 1, 3, new float[] {0, 1, 2}, new float[] {0, -1, -2}, new float[] {3f, 1f, 2f}, new float[] {
                    10f, 1f, 4f
                }); // usage/life = 0.3, 1.0, 0.5
        ScaleMemory kept = MemoryState.removeObsolete(s, 2);
        assertArrayEquals(new float[] {1, 2}, kept.keys());
    }

    @Test
    void aBankAtOrBelowItsBoundIsLeftAlone() {
        ScaleMemory s = scale(0.5f, 0.2f, 0.9f);
        assertSame(s, MemoryState.removeObsolete(s, 3));
        assertSame(s, MemoryState.removeObsolete(s, 3.9)); // k = (int) (3 - 3.9) = 0
        assertSame(s, MemoryState.removeObsolete(s, 10));
    }

    /** A frame of {@code hw0} positions at scale 0 (hw0/4, hw0/16 below), key channel 0 = {@code tag}. */
    private static MemoryState add(MemoryState m, int hw0, float tag, int memLength) {
        float[][] keys = new float[3][];
        float[][] values = new float[3][];
        int[] positions = new int[3];
        for (int i = 0; i < 3; i++) {
            positions[i] = hw0 >> (2 * i);
            keys[i] = new float[2 * positions[i]];
            Arrays.fill(keys[i], 0, positions[i], tag);
            values[i] = new float[positions[i]];
        }
        return m.withFrameAdded(keys, values, positions, memLength);
    }

    private static float[][] usage(MemoryState m, float... perScale0Entry) {
        float[][] u = new float[3][];
        for (int i = 0; i < 3; i++) {
            u[i] = new float[m.scale(i).length()];
            Arrays.fill(u[i], 0.25f);
        }
        System.arraycopy(perScale0Entry, 0, u[0], 0, perScale0Entry.length);
        return u;
    }

    @Test
    void theFirstAddSetsPositionsPerFrameAndFreshEntriesHaveUsageZeroAndTinyLife() {
        MemoryState m = add(MemoryState.empty(), 16, 1f, 3);
        assertEquals(16, m.positionsPerFrame());
        assertEquals(1, m.frames());
        assertEquals(16, m.scale(0).length());
        assertEquals(4, m.scale(1).length());
        assertEquals(1, m.scale(2).length());
        assertEquals(2, m.scale(0).keyChannels());
        assertEquals(1, m.scale(0).valueChannels());
        for (int i = 0; i < 3; i++) {
            for (int e = 0; e < m.scale(i).length(); e++) {
                assertEquals(0f, m.scale(i).usage()[e]);
                assertEquals(1e-7f, m.scale(i).life()[e]);
            }
        }
        assertTrue(MemoryState.empty().isEmpty());
        assertEquals(0, MemoryState.empty().frames());
    }

    @Test
    void removalStartsOnlyOnceTheBankHeldMemLengthFramesBeforeTheAdd() {
        MemoryState m = add(MemoryState.empty(), 16, 1f, 2);
        m = add(m.withRead(usage(m)), 16, 2f, 2); // held 1 < 2: no removal
        assertEquals(2, m.frames());
        m = add(m.withRead(usage(m)), 16, 3f, 2); // held 2: the add is followed by removal
        assertEquals(32, m.scale(0).length());
    }

    @Test
    void aNewFrameWithUsageZeroIsRemovedWhenTheCutOffIsZero() {
        MemoryState m = add(MemoryState.empty(), 16, 1f, 2);
        m = add(m.withRead(usage(m)), 16, 2f, 2);
        m = m.withRead(usage(m)); // every stored entry has usage 0.25 > 0
        MemoryState after = add(m, 16, 3f, 2);
        // Scale 0: k = 48 - 32 = 16; the 16 smallest are the new frame's zeros, cut-off 0: the new frame goes.
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(m.scale(i).keys(), after.scale(i).keys(), "scale " + i);
        }
        assertEquals(2, after.frames());
    }

    @Test
    void storedEntriesTiedWithTheNewFramesZerosGoWithIt() {
        // Two entries of the first frame (scale 0) are never in a top-k of the reads: their usage stays 0.
        MemoryState m = add(MemoryState.empty(), 16, 1f, 2);
        m = add(m.withRead(usage(m, 0f, 0f)), 16, 2f, 2);
        m = m.withRead(usage(m, 0f, 0f));
        MemoryState after = add(m, 16, 3f, 2);
        assertEquals(30, after.scale(0).length(), "the new 16 and the 2 stored zeros");
        for (int e = 0; e < after.scale(0).length(); e++) {
            assertTrue(after.scale(0).usage()[e] > 0f);
        }
    }

    @Test
    void aReadAddsUsageAndLifeAndSharesKeysAndValues() {
        MemoryState m = add(MemoryState.empty(), 16, 1f, 3);
        float[][] u = usage(m, 0.5f);
        MemoryState read = m.withRead(u).withRead(u);
        for (int i = 0; i < 3; i++) {
            assertSame(m.scale(i).keys(), read.scale(i).keys());
            assertSame(m.scale(i).values(), read.scale(i).values());
            assertEquals(2f + 1e-7f, read.scale(i).life()[0], 1e-9);
            assertEquals(0f, m.scale(i).usage()[0], "the original state is unchanged");
        }
        assertEquals(1.0f, read.scale(0).usage()[0]);
        assertEquals(0.5f, read.scale(1).usage()[0]);
        float[][] wrong = {new float[3], new float[4], new float[1]};
        assertThrows(IllegalArgumentException.class, () -> m.withRead(wrong));
    }

    @Test
    void aFrameOfAnotherSizeIsRefused() {
        MemoryState m = add(MemoryState.empty(), 16, 1f, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> add(m, 64, 2f, 3));
        assertTrue(
                e.getMessage().contains("64 positions")
                        && e.getMessage().contains("16-position")
                        && e.getMessage().contains("frame size changed"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> add(m, 16, 2f, 0));
    }

    @Test
    void theSerialisedFormRoundTrips() {
        MemoryState m = add(MemoryState.empty(), 16, 1f, 2);
        m = add(m.withRead(usage(m, 0.1f, 0.7f)), 16, 2f, 2);
        byte[] bytes = m.toBytes();
        MemoryState back = MemoryState.fromBytes(bytes);
        assertEquals(m, back);
        assertEquals(m.positionsPerFrame(), back.positionsPerFrame());
        assertEquals(m.byteSize(), back.byteSize());
        assertEquals(
                MemoryState.empty(), MemoryState.fromBytes(MemoryState.empty().toBytes()));
        assertNotEquals(m, m.withRead(usage(m)));
    }

    private static String corrupt(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> MemoryState.fromBytes(bytes))
                .getMessage();
    }

    @Test
    void corruptTruncatedOrUnknownVersionsAreRefusedWithTheReason() {
        MemoryState m = add(MemoryState.empty(), 16, 1f, 2);
        byte[] good = m.toBytes();
        assertTrue(corrupt(new byte[] {1, 2, 3, 4, 5}).contains("corrupt memory bank: not this format"));
        byte[] v3 = good.clone();
        v3[4] = 3;
        assertTrue(corrupt(v3).contains("version 3 is not supported"));
        assertTrue(corrupt(Arrays.copyOf(good, good.length - 4)).contains("corrupt memory bank"));
        assertTrue(corrupt(Arrays.copyOf(good, 6)).contains("truncated"));
        assertTrue(corrupt(Arrays.copyOf(good, good.length + 3)).contains("3 trailing bytes"));
        // Every cut and many random byte changes end in IllegalArgumentException, never another exception.
        for (int cut = 0; cut < good.length; cut++) {
            byte[] b = Arrays.copyOf(good, cut);
            assertThrows(IllegalArgumentException.class, () -> MemoryState.fromBytes(b));
        }
        Random r = new Random(9);
        for (int i = 0; i < 2000; i++) {
            byte[] b = good.clone();
            int at = r.nextInt(Math.min(b.length, 48)); // the header and sizes, where damage matters most
            b[at] = (byte) r.nextInt(256);
            try {
                MemoryState back = MemoryState.fromBytes(b);
                // accepted only where the damage left every length as it was (a changed value, not a size)
                for (int s = 0; s < MemoryState.SCALES; s++) {
                    assertEquals(m.scale(s).length(), back.scale(s).length(), "entries of scale " + s);
                    assertEquals(m.scale(s).keyChannels(), back.scale(s).keyChannels(), "key channels of scale " + s);
                }
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("corrupt memory bank"), expected.getMessage());
            }
        }
    }
}
