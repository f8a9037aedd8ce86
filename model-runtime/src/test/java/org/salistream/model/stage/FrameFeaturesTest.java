package org.salistream.model.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A frame's encoded features as a value: shapes, the serialised form, and refusal of corrupt bytes. */
class FrameFeaturesTest {

    /** Features of C channels at h x w, h/2 x w/2, h/4 x w/4 with seeded random values. */
    static FrameFeatures features(int c, int h, int w, long seed) {
        Random r = new Random(seed);
        int[] hs = {h, h / 2, h / 4};
        int[] ws = {w, w / 2, w / 4};
        float[][] maps = new float[3][];
        for (int i = 0; i < 3; i++) {
            maps[i] = new float[c * hs[i] * ws[i]];
            for (int j = 0; j < maps[i].length; j++) {
                maps[i][j] = (float) r.nextGaussian();
            }
        }
        return new FrameFeatures(c, hs, ws, maps);
    }

    @Test
    void theSerialisedFormRoundTrips() {
        FrameFeatures f = features(4, 8, 12, 1);
        FrameFeatures back = FrameFeatures.fromBytes(f.toBytes());
        assertEquals(f, back);
        assertTrue(back.sameShape(f));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(f.map(i), back.map(i));
            assertEquals(f.height(i), back.height(i));
            assertEquals(f.width(i), back.width(i));
        }
        assertEquals(4L * 4 * (8 * 12 + 4 * 6 + 2 * 3), f.byteSize());
        assertEquals(f.byteSize() + 4 + 1 + 4 + 4 + 3 * 8, f.toBytes().length, "header plus the floats");
    }

    @Test
    void shapesDecideWhetherFramesPairOrBatch() {
        FrameFeatures a = features(4, 8, 8, 1);
        assertTrue(a.sameShape(features(4, 8, 8, 2)));
        assertFalse(a.sameShape(features(4, 16, 16, 1)));
        assertFalse(a.sameShape(features(2, 8, 8, 1)));
        assertFalse(a.equals(features(4, 8, 8, 2)), "same shape, other values");
    }

    @Test
    void mapsThatDoNotMatchTheirShapeAreRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new FrameFeatures(2, new int[] {2}, new int[] {2}, new float[][] {new float[7]}));
        assertTrue(e.getMessage().contains("7 values, expected 2 x 2 x 2"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new FrameFeatures(2, new int[] {2, 1}, new int[] {2}, new float[][] {new float[8]}));
    }

    @Test
    void corruptTruncatedOrUnknownVersionBytesAreRefused() {
        byte[] good = features(2, 4, 4, 3).toBytes();
        String m = assertThrows(
                        IllegalArgumentException.class, () -> FrameFeatures.fromBytes(new byte[] {9, 9, 9, 9, 1}))
                .getMessage();
        assertTrue(m.contains("corrupt frame features: not this format"), m);
        byte[] v7 = good.clone();
        v7[4] = 7;
        m = assertThrows(IllegalArgumentException.class, () -> FrameFeatures.fromBytes(v7))
                .getMessage();
        assertTrue(m.contains("version 7 is not supported"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> FrameFeatures.fromBytes(Arrays.copyOf(good, good.length + 2)))
                .getMessage();
        assertTrue(m.contains("2 trailing bytes"), m);
        byte[] huge = good.clone();
        huge[13] = (byte) 0xff; // height of map 0 >= 2^24
        huge[15] = 0x7f;
        m = assertThrows(IllegalArgumentException.class, () -> FrameFeatures.fromBytes(huge))
                .getMessage();
        assertTrue(m.contains("corrupt frame features: map 0"), m);
        for (int cut = 0; cut < good.length; cut++) {
            byte[] b = Arrays.copyOf(good, cut);
            m = assertThrows(IllegalArgumentException.class, () -> FrameFeatures.fromBytes(b))
                    .getMessage();
            assertTrue(m.startsWith("corrupt frame features"), m);
        }
        Random r = new Random(4);
        for (int i = 0; i < 2000; i++) {
            byte[] b = good.clone();
            b[r.nextInt(37)] = (byte) r.nextInt(256); // header and shapes
            try {
                // accepted only with the same shapes: the damage hit a float (or wrote the byte it replaced)
                assertTrue(
                        FrameFeatures.fromBytes(b).sameShape(features(2, 4, 4, 3)),
                        "shapes accepted from damaged bytes");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("corrupt frame features"), expected.getMessage());
            }
        }
    }
}
