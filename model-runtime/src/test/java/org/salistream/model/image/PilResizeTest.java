package org.salistream.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pillow's bilinear resize ({@code ImagingResample}, {@code libImaging/Resample.c}) on cases small enough to
 * compute by hand from its algorithm: per output pixel x', centre c = (x' + 0.5) * in/out, support
 * s = max(in/out, 1), window [(int) (c - s + 0.5), (int) (c + s + 0.5)) clipped to the image, weights
 * 1 - |(x + 0.5 - c) / max(in/out, 1)| normalised to sum 1 and quantised to 22-bit fixed point (rounded half
 * away from zero), then out = clip8((sum(w * p) + 2^21) >> 22), i.e. the weighted sum rounded half up.
 */
class PilResizeTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void theSameSizeIsACopy() {
        byte[] src = bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        byte[] out = PilResize.resize(src, 3, 2, 3, 3, 2);
        assertArrayEquals(src, out);
        assertNotSame(src, out);
    }

    @Test
    void fourToTwoAveragesThreeNeighboursInEachAxis() {
        // in/out = 2, support 2. Output 0: c = 1, window [0, 3), raw weights 0.75 0.75 0.25 -> 3/7 3/7 1/7
        // (fixed point 1797559 1797559 599186). Output 1: c = 3, window [1, 4): 1/7 3/7 3/7.
        // [0, 100, 200, 255] -> (300 + 200) / 7 = 71.43 -> 71; (100 + 3 * 455) / 7 = 209.29 -> 209.
        byte[] src = bytes(0, 100, 200, 255);
        assertArrayEquals(bytes(71, 209), PilResize.resize(src, 4, 1, 1, 2, 1), "horizontal");
        assertArrayEquals(bytes(71, 209), PilResize.resize(src, 1, 4, 1, 1, 2), "vertical");
    }

    @Test
    void twoToFourInterpolatesWithQuarterWeights() {
        // in/out = 0.5, support 1. Centres 0.25, 0.75, 1.25, 1.75: windows [0, 1), [0, 2), [0, 2), [1, 2);
        // weights 1 | 0.75 0.25 | 0.25 0.75 | 1. [10, 21] -> 10, 12.75 -> 13, 18.25 -> 18, 21.
        byte[] src = bytes(10, 21);
        assertArrayEquals(bytes(10, 13, 18, 21), PilResize.resize(src, 2, 1, 1, 4, 1), "horizontal");
        assertArrayEquals(bytes(10, 13, 18, 21), PilResize.resize(src, 1, 2, 1, 1, 4), "vertical");
        // A half exactly on the rounding point rounds up: [0, 200] -> 50.0 and 150.0 plus the 0.5 offset.
        assertArrayEquals(bytes(0, 50, 150, 200), PilResize.resize(bytes(0, 200), 2, 1, 1, 4, 1));
    }

    @Test
    void threeToTwoWidensTheTriangleByOneAndAHalf() {
        // in/out = 1.5, support 1.5. Output 0: c = 0.75, window [0, 2), raw 1 - |x + 0.5 - 0.75| / 1.5 =
        // 5/6, 1/2 -> 0.625, 0.375. Output 1: c = 2.25, window [1, 3): 0.375, 0.625.
        // R [0, 100, 255] -> 37.5 -> 38, 196.875 -> 197; G reversed -> 197, 38; B constant 7 -> 7.
        byte[] rgb = bytes(0, 255, 7, 100, 100, 7, 255, 0, 7);
        assertArrayEquals(bytes(38, 197, 7, 197, 38, 7), PilResize.resize(rgb, 3, 1, 3, 2, 1));
    }

    @Test
    void eachPassAgreesWithAStraightforwardFloatImplementationExceptAtExactHalves() {
        Random r = new Random(5);
        byte[] src = new byte[37 * 23 * 3];
        r.nextBytes(src);
        int ties = 0;
        int total = 0;
        for (int out : new int[] {8, 9, 16, 50, 80}) {
            byte[] horizontal = PilResize.resize(src, 37, 23, 3, out, 23);
            double[] h = FloatPillow.pass(src, 37, 23, 3, out, true);
            byte[] vertical = PilResize.resize(src, 37, 23, 3, 37, out);
            double[] v = FloatPillow.pass(src, 37, 23, 3, out, false);
            ties += compare("horizontal to " + out, h, horizontal);
            ties += compare("vertical to " + out, v, vertical);
            total += h.length + v.length;
        }
        // Fixed-point weights sum to a hair under the exact value, so an exact .5 may round down; the other
        // values (the great majority, so that the comparison means something) must round identically.
        assertTrue(ties <= total / 20, ties + " exact halves of " + total);
    }

    /** Asserts round-half-up of the float value, or within one level at an exact half; counts the halves. */
    private static int compare(String what, double[] exact, byte[] fixed) {
        int ties = 0;
        for (int i = 0; i < exact.length; i++) {
            int expected = (int) Math.max(0, Math.min(255, Math.floor(exact[i] + 0.5)));
            int actual = fixed[i] & 0xFF;
            boolean half = Math.abs(exact[i] - Math.floor(exact[i]) - 0.5) < 1e-6;
            if (half) {
                ties++;
                assertTrue(Math.abs(actual - expected) <= 1, what + " at " + i + ": " + actual + " for " + exact[i]);
            } else {
                assertTrue(actual == expected, what + " at " + i + ": " + actual + " for " + exact[i]);
            }
        }
        return ties;
    }

    @Test
    void bothAxesTogetherStayWithinOneLevelOfTheFloatImplementation() {
        Random r = new Random(6);
        byte[] src = new byte[37 * 23 * 3];
        r.nextBytes(src);
        for (int[] t : new int[][] {{16, 11}, {50, 40}, {20, 30}}) {
            byte[] fixed = PilResize.resize(src, 37, 23, 3, t[0], t[1]);
            byte[] reference = FloatPillow.resize(src, 37, 23, 3, t[0], t[1]);
            for (int i = 0; i < fixed.length; i++) {
                int d = Math.abs((fixed[i] & 0xFF) - (reference[i] & 0xFF));
                assertTrue(d <= 1, "to " + t[0] + "x" + t[1] + " at " + i + ": " + d + " grey levels");
            }
        }
    }

    @Test
    void anRgbImageKeepsItsChannelsApart() {
        RgbImage img = new RgbImage(2, 1, bytes(10, 200, 0, 21, 100, 255));
        RgbImage up = PilResize.resize(img, 4, 1);
        assertArrayEquals(bytes(10, 200, 0, 13, 175, 64, 18, 125, 191, 21, 100, 255), up.rgb());
    }

    @Test
    void aNonPositiveTargetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PilResize.resize(bytes(1), 1, 1, 1, 0, 1));
    }

    /** Pillow's two passes written plainly in doubles: no fixed point, weights recomputed per pixel. */
    private static final class FloatPillow {

        static byte[] resize(byte[] src, int w, int h, int ch, int outW, int outH) {
            byte[] cur = src;
            if (outW != w) {
                cur = round(pass(cur, w, h, ch, outW, true));
            }
            if (outH != h) {
                cur = round(pass(cur, outW, h, ch, outH, false));
            }
            return cur;
        }

        private static byte[] round(double[] v) {
            byte[] out = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (byte) Math.max(0, Math.min(255, Math.floor(v[i] + 0.5)));
            }
            return out;
        }

        /** One pass (along x or y) to {@code out} samples, before rounding. */
        static double[] pass(byte[] src, int w, int h, int ch, int out, boolean horizontal) {
            int in = horizontal ? w : h;
            double scale = (double) in / out;
            double widen = Math.max(scale, 1);
            int ow = horizontal ? out : w;
            int oh = horizontal ? h : out;
            double[] dst = new double[ow * oh * ch];
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double centre = ((horizontal ? x : y) + 0.5) * scale;
                    for (int c = 0; c < ch; c++) {
                        double sum = 0;
                        double norm = 0;
                        for (int i = 0; i < in; i++) {
                            double wgt = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / widen));
                            int p = horizontal ? src[(y * w + i) * ch + c] & 0xFF : src[(i * w + x) * ch + c] & 0xFF;
                            sum += wgt * p;
                            norm += wgt;
                        }
                        dst[(y * ow + x) * ch + c] = sum / norm;
                    }
                }
            }
            return dst;
        }
    }
}
