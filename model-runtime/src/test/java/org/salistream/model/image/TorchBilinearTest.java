package org.salistream.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.salistream.ops.Resample;

/**
 * The plain-array bilinear resize that brings logits to the frame size agrees with the ops-align
 * {@link Resample} ({@code F.interpolate(mode='bilinear', align_corners=False)} on NDArrays, checked there
 * against PyTorch) on random maps, up and down, by integer and non-integer factors.
 */
@Tag("float-parity")
class TorchBilinearTest {

    @Test
    void agreesWithResampleWhereTheSourceCoordinatesAreExactInFloat() {
        // Power-of-two ratios: (d + 0.5) * in/out - 0.5 is exact in float32, so only the sums round.
        check(new int[][] {{44, 44, 352, 352}, {11, 11, 352, 352}, {64, 48, 16, 12}, {1, 1, 4, 2}, {8, 8, 1, 1}}, 0);
    }

    @Test
    void agreesWithResampleUpToFloatCoordinatesForOtherRatios() {
        // PyTorch's CPU kernel, like TorchBilinear, computes the source coordinate in float32 (Resample does
        // it in double): it is off by up to ~2e-7 * in, and the output by that times the neighbours' difference.
        check(new int[][] {{352, 352, 300, 500}, {7, 5, 13, 17}, {256, 256, 576, 720}, {3, 3, 7, 2}}, 2e-7);
    }

    /**
     * Compares on random maps; the bound is 1e-5 plus {@code coordinateError * in * range}. The 1e-5 rests on
     * float32 rounding of four-term sums of values up to |x| ~ 20: 2^-24 * 20 * 2 = 2.4e-6 (measured 1.9e-6,
     * AMD EPYC, libtorch at 1 and 2 threads), a margin of 4; the coordinate term measured 0.2 to 0.3 of itself.
     */
    private static void check(int[][] cases, double coordinateError) {
        Random r = new Random(2);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] c : cases) {
                float[] src = new float[c[0] * c[1]];
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < src.length; i++) {
                    src[i] = (float) (r.nextGaussian() * 5);
                    lo = Math.min(lo, src[i]);
                    hi = Math.max(hi, src[i]);
                }
                NDArray x = m.create(src, new Shape(1, 1, c[0], c[1])); // (1, 1, H, W)
                float[] expected = Resample.bilinear(x, c[2], c[3], false).toFloatArray();
                float[] actual = TorchBilinear.resize(src, c[0], c[1], c[2], c[3]);
                double max = 0;
                for (int i = 0; i < expected.length; i++) {
                    max = Math.max(max, Math.abs(expected[i] - actual[i]));
                }
                double bound = 1e-5 + coordinateError * Math.max(c[0], c[1]) * (hi - lo);
                if (Boolean.getBoolean("sali.parity.verbose")) {
                    System.out.printf(
                            "  parity bilinear %dx%d->%dx%d max |diff| %.3g (max |x| %.3g) bound %.3g%n",
                            c[0], c[1], c[2], c[3], max, Math.max(-lo, hi), bound);
                }
                assertTrue(
                        max <= bound,
                        c[0] + "x" + c[1] + " -> " + c[2] + "x" + c[3] + ": max |diff| " + max + " > " + bound);
            }
        }
    }

    @Test
    void theSameSizeIsACopyAndAMisfitMapIsRefused() {
        float[] src = {1, 2, 3, 4};
        float[] out = TorchBilinear.resize(src, 2, 2, 2, 2);
        assertArrayEquals(src, out);
        assertNotSame(src, out);
        assertThrows(IllegalArgumentException.class, () -> TorchBilinear.resize(src, 3, 2, 4, 4));
    }

    @Test
    void doublingUsesQuarterAndThreeQuarterWeightsAndClampsAtTheEdges() {
        // align_corners=False: output 0 samples source -0.25, clamped to 0; output 1 samples 0.25; ...
        float[] out = TorchBilinear.resize(new float[] {0, 4}, 1, 2, 1, 4);
        assertArrayEquals(new float[] {0, 1, 3, 4}, out);
    }
}
