package org.salistream.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.salistream.ops.reference.ResampleReference;
import org.salistream.ops.testing.NdTesting;

/**
 * {@link Resample} against hand-computed values, against the Java reference on random maps (both corner
 * modes, size and scale-factor forms, up- and down-sampling, non-integer scales), finite differences, and bad
 * arguments. The hand cases run in float64 on small integers with dyadic weights (quarters, halves), which
 * are exact in binary: their 1e-15 bounds mean "exact"; the random cases cite their floors where they
 * compare.
 */
@Tag("float-parity")
class ResampleTest {

    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void upsamplingByTwoWithoutAlignedCornersClampsTheBorderAndInterpolatesQuarterPixels() {
        NDArray x = m.create(new double[] {0, 1}, new Shape(1, 1, 1, 2));
        // src = (dst + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (past the last pixel).
        assertArrayEquals(
                new double[] {0, 0.25, 0.75, 1},
                Resample.bilinearScale(x, 1, 2, false).toDoubleArray(),
                1e-15);
        assertArrayEquals(
                new double[] {0, 0.25, 0.75, 1},
                Resample.bilinear(x, 1, 4, false).toDoubleArray(),
                1e-15);
    }

    @Test
    void alignedCornersKeepTheCornerPixelsAndSpaceTheRestEvenly() {
        NDArray x = m.create(new double[] {0, 3}, new Shape(1, 1, 1, 2));
        assertArrayEquals(
                new double[] {0, 1, 2, 3}, Resample.bilinear(x, 1, 4, true).toDoubleArray(), 1e-15);
        // A single output pixel with aligned corners takes the first input pixel.
        assertArrayEquals(new double[] {0}, Resample.bilinear(x, 1, 1, true).toDoubleArray(), 0);
    }

    @Test
    void downsamplingByHalfAveragesEachTwoByTwoBlock() {
        NDArray x =
                m.create(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, new Shape(1, 1, 4, 4));
        assertArrayEquals(
                new double[] {3.5, 5.5, 11.5, 13.5},
                Resample.bilinearScale(x, 0.5, 0.5, false).toDoubleArray(),
                1e-15);
    }

    @Test
    void equalSizesAreTheIdentityInBothCornerModes() {
        double[] v = NdTesting.uniform(new Random(31), 2 * 3 * 5 * 4, -1, 1);
        NDArray x = m.create(v, new Shape(2, 3, 5, 4));
        assertArrayEquals(v, Resample.bilinear(x, 5, 4, false).toDoubleArray(), 1e-15);
        assertArrayEquals(v, Resample.bilinear(x, 5, 4, true).toDoubleArray(), 1e-15);
    }

    @Test
    void aNonIntegerScaleUsesOneOverScaleNotInOverOut() {
        // 7 * 1.7 = 11.9 -> 11 outputs; 1/1.7 = 0.588.. differs from 7/11 = 0.636..
        assertEquals(11, Resample.outputSize(7, 1.7));
        double[] v = NdTesting.uniform(new Random(32), 7 * 7, -1, 1);
        NDArray x = m.create(v, new Shape(1, 1, 7, 7));
        double[] byScale = Resample.bilinearScale(x, 1.7, 1.7, false).toDoubleArray();
        double[] bySize = Resample.bilinear(x, 11, 11, false).toDoubleArray();
        NdTesting.assertClose(
                "scale 1.7",
                ResampleReference.ofScale(1, 1, 7, 7, 1.7, 1.7, false).forward(v),
                byScale,
                1e-12,
                false);
        double gap = 0;
        for (int i = 0; i < byScale.length; i++) {
            gap = Math.max(gap, Math.abs(byScale[i] - bySize[i]));
        }
        assertTrue(gap > 1e-2, "scale form and size form should differ for 7 -> 11, max gap " + gap);
        // With aligned corners the scale factor is ignored: both forms agree.
        assertArrayEquals(
                Resample.bilinear(x, 11, 11, true).toDoubleArray(),
                Resample.bilinearScale(x, 1.7, 1.7, true).toDoubleArray(),
                1e-15);
    }

    @Test
    void djlAgreesWithTheJavaReferenceInBothCornerModesAndBothForms() {
        Random rnd = new Random(33);
        int[][] sizes = {{2, 3, 9, 14, 20, 5}, {1, 2, 44, 44, 11, 11}, {1, 1, 11, 7, 352, 100}, {1, 4, 6, 5, 1, 1}};
        double[][] scales = {{2, 2}, {0.25, 0.25}, {8, 8}, {1.7, 0.6}, {1.0 / 8, 1.0 / 16}, {32, 32}};
        for (boolean ac : new boolean[] {false, true}) {
            for (int[] s : sizes) {
                ResampleReference ref = ResampleReference.ofSize(s[0], s[1], s[2], s[3], s[4], s[5], ac);
                compare(
                        "size " + java.util.Arrays.toString(s) + " ac=" + ac,
                        ref,
                        rnd,
                        s,
                        x -> Resample.bilinear(x, s[4], s[5], ac));
            }
            for (double[] sc : scales) {
                int[] s = {1, 2, 64, 48};
                ResampleReference ref = ResampleReference.ofScale(s[0], s[1], s[2], s[3], sc[0], sc[1], ac);
                compare(
                        "scale " + java.util.Arrays.toString(sc) + " ac=" + ac,
                        ref,
                        rnd,
                        s,
                        x -> Resample.bilinearScale(x, sc[0], sc[1], ac));
            }
        }
    }

    private void compare(
            String what, ResampleReference ref, Random rnd, int[] s, java.util.function.Function<NDArray, NDArray> op) {
        double[] v = NdTesting.uniform(rnd, s[0] * s[1] * s[2] * s[3], -1, 1);
        double[] expected = ref.forward(v);
        double[] gy = NdTesting.uniform(rnd, expected.length, -1, 1);
        double[] gxExpected = ref.backward(gy);
        long[] yShape = {s[0], s[1], ref.outH(), ref.outW()};
        for (DataType dt : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            // Floors (AMD EPYC, 1 and 2 threads): float32 2.7e-7 of the largest value (inputs rounded to
            // float32, then four-term sums; gradients gather up to 32x32 terms), float64 2.6e-13 relative.
            double tol = dt == DataType.FLOAT32 ? 1e-5 : 1e-12;
            NDArray x = NdTesting.toNd(m, v, new long[] {s[0], s[1], s[2], s[3]}, dt);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = op.apply(x);
                NdTesting.assertShape(yShape, y);
                assertEquals(dt, y.getDataType(), what);
                NdTesting.assertClose(what + " y " + dt, expected, NdTesting.values(y), tol, true);
                gc.backward(y.mul(NdTesting.toNd(m, gy, yShape, dt)).sum());
                NdTesting.assertClose(what + " gx " + dt, gxExpected, NdTesting.values(x.getGradient()), tol, true);
            }
        }
    }

    @Test
    void autogradMatchesCentralDifferences() {
        Random rnd = new Random(34);
        double[] v = NdTesting.uniform(rnd, 2 * 5 * 6, -1, 1);
        long[] shape = {1, 2, 5, 6};
        double[] gy = NdTesting.uniform(rnd, 2 * 8 * 3, -1, 1);
        NDArray x = m.create(v, new Shape(shape));
        x.setRequiresGradient(true);
        double[] grad;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Resample.bilinear(x, 8, 3, false);
            gc.backward(y.mul(m.create(gy, y.getShape())).sum());
            grad = x.getGradient().toDoubleArray();
        }
        // Resampling is linear in x, so central differences have no truncation error: only the loss's float64
        // rounding (a sum of 48 terms of magnitude ~1, ~1e-15) over the 2e-6 step, ~5e-10; the bound is 1e-8.
        double eps = 1e-6;
        for (int i = 0; i < v.length; i++) {
            double keep = v[i];
            v[i] = keep + eps;
            double plus = loss(v, shape, gy);
            v[i] = keep - eps;
            double minus = loss(v, shape, gy);
            v[i] = keep;
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, grad[i], 1e-8, "gradient of x[" + i + "]");
        }
    }

    private double loss(double[] v, long[] shape, double[] gy) {
        double[] y =
                Resample.bilinear(m.create(v, new Shape(shape)), 8, 3, false).toDoubleArray();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * gy[i];
        }
        return s;
    }

    @Test
    void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward() {
        // Regression: host-built matrices wrapped Java direct buffers (torch::from_blob); once closed, a GC
        // freed them while matMul's backward still read them.
        Random rnd = new Random(35);
        int[] s = {1, 2, 16, 12};
        ResampleReference ref = ResampleReference.ofScale(s[0], s[1], s[2], s[3], 8, 8, false);
        double[] v = NdTesting.uniform(rnd, s[0] * s[1] * s[2] * s[3], -1, 1);
        double[] gy = NdTesting.uniform(rnd, s[0] * s[1] * ref.outH() * ref.outW(), -1, 1);
        NDArray x = m.create(v, new Shape(1, 2, 16, 12));
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Resample.bilinearScale(x, 8, 8, false);
            NDArray loss = y.mul(m.create(gy, y.getShape())).sum();
            NdTesting.churnNativeMemory();
            gc.backward(loss);
            NdTesting.assertClose(
                    "gx after GC", ref.backward(gy), x.getGradient().toDoubleArray(), 1e-12, false);
        }
    }

    @Test
    void outputStaysOnTheInputsManagerAndDevice() {
        NDArray x = m.zeros(new Shape(1, 1, 4, 4));
        NDArray y = Resample.bilinearScale(x, 2, 2, true);
        assertSame(m, y.getManager());
        assertEquals(x.getDevice(), y.getDevice());
        assertEquals(DataType.FLOAT32, y.getDataType());
    }

    @Test
    void badArgumentsFailWithClearMessages() {
        NDArray x3 = m.zeros(new Shape(1, 4, 4));
        NDArray x = m.zeros(new Shape(1, 1, 4, 4));
        assertEquals(
                "bilinear: input must be (B, C, H, W), got shape [1, 4, 4]",
                assertThrows(IllegalArgumentException.class, () -> Resample.bilinear(x3, 2, 2, false))
                        .getMessage());
        assertEquals(
                "bilinear: output size must be positive, got 0x2 for input (1, 1, 4, 4)",
                assertThrows(IllegalArgumentException.class, () -> Resample.bilinear(x, 0, 2, false))
                        .getMessage());
        assertEquals(
                "bilinearScale: scale factors must be positive and finite, got -2.0, 2.0",
                assertThrows(IllegalArgumentException.class, () -> Resample.bilinearScale(x, -2, 2, false))
                        .getMessage());
        assertEquals(
                "bilinearScale: input (1, 1, 4, 4) with scale factors 0.1, 1.0 gives an empty output 0x4",
                assertThrows(IllegalArgumentException.class, () -> Resample.bilinearScale(x, 0.1, 1, false))
                        .getMessage());
        NDArray ints = m.zeros(new Shape(1, 1, 4, 4), DataType.INT32);
        assertEquals(
                "bilinear: input must be float32 or float64, got int32",
                assertThrows(IllegalArgumentException.class, () -> Resample.bilinear(ints, 2, 2, false))
                        .getMessage());
    }
}
