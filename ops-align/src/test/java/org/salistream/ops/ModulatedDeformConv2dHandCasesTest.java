package org.salistream.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salistream.ops.testing.NdTesting;

/**
 * Tiny cases computed by hand, in the style of mmcv's {@code test_deform_conv}/{@code test_modulated_deform_conv}:
 * zero offsets are a plain convolution, integer offsets shift the image, half-pixel offsets average
 * neighbours, the mask scales each tap, and samples outside the image are zero.
 */
class ModulatedDeformConv2dHandCasesTest {

    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray arr(double[] v, long... shape) {
        return m.create(v, new Shape(shape));
    }

    private NDArray zeros(long... shape) {
        return m.zeros(new Shape(shape), DataType.FLOAT64);
    }

    private NDArray full(double v, long... shape) {
        return m.ones(new Shape(shape), DataType.FLOAT64).mul(v);
    }

    private static double[] ramp(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        return v;
    }

    @Test
    void zeroOffsetsAndUnitMaskOnA3x3InputAreAPlainConvolution() {
        NDArray x = arr(ramp(9), 1, 1, 3, 3); // 1..9
        NDArray y = ModulatedDeformConv2d.forward(
                x,
                zeros(1, 18, 3, 3),
                full(1, 1, 9, 3, 3),
                full(1, 1, 1, 3, 3),
                null,
                DeformConvOptions.builder().padding(1).build());
        // Sums of the 3x3 neighbourhoods with zero padding.
        assertArrayEquals(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void zeroOffsetsEqualDjlConvolutionWithStrideDilationAndBias() {
        Random rnd = new Random(21);
        NDArray x = arr(NdTesting.uniform(rnd, 2 * 6 * 9 * 8, -1, 1), 2, 6, 9, 8);
        NDArray w = arr(NdTesting.uniform(rnd, 4 * 6 * 9, -1, 1), 4, 6, 3, 3);
        NDArray b = arr(NdTesting.uniform(rnd, 4, -1, 1), 4);
        DeformConvOptions o = DeformConvOptions.builder()
                .stride(2)
                .padding(2)
                .dilation(2)
                .deformableGroups(3)
                .build();
        long ho = o.outputLength(0, 9, 3);
        long wo = o.outputLength(1, 8, 3);
        NDArray y = ModulatedDeformConv2d.forward(x, zeros(2, 2 * 3 * 9, ho, wo), full(1, 2, 3 * 9, ho, wo), w, b, o);
        NDArray conv = Conv2d.conv2d(x, w, b, new Shape(2, 2), new Shape(2, 2), new Shape(2, 2), 1)
                .singletonOrThrow();
        NdTesting.assertShape(conv.getShape().getShape(), y);
        NdTesting.assertClose("deform vs conv2d", conv.toDoubleArray(), y.toDoubleArray(), 1e-12, false);
    }

    @Test
    void anOffsetOfExactlyOneRowShiftsTheSampledImageUp() {
        NDArray x = arr(ramp(12), 1, 1, 3, 4);
        NDArray offset = zeros(1, 2, 3, 4).add(arr(new double[] {1, 0}, 1, 2, 1, 1)); // dy = 1, dx = 0
        NDArray y = ModulatedDeformConv2d.forward(
                x, offset, full(1, 1, 1, 3, 4), full(1, 1, 1, 1, 1), null, DeformConvOptions.DEFAULT);
        // Row r reads row r + 1; the last row reads h = 3 = H, outside the image: zero.
        assertArrayEquals(new double[] {5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void aHalfPixelOffsetAveragesHorizontalNeighbours() {
        NDArray x = arr(ramp(6), 1, 1, 2, 3);
        NDArray offset = zeros(1, 2, 2, 3).add(arr(new double[] {0, 0.5}, 1, 2, 1, 1)); // dx = 0.5
        NDArray y = ModulatedDeformConv2d.forward(
                x, offset, full(1, 1, 1, 2, 3), full(1, 1, 1, 1, 1), null, DeformConvOptions.DEFAULT);
        // The last column samples w = 2.5 < W: half of the pixel inside plus half of a zero outside.
        assertArrayEquals(new double[] {1.5, 2.5, 1.5, 4.5, 5.5, 3.0}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void theMaskScalesEachTapOfTheKernel() {
        NDArray x = arr(ramp(4), 1, 1, 2, 2);
        // 1x2 kernel, taps at (h, w) and (h, w+1); mask 0.5 on tap 0 and 0.25 on tap 1.
        NDArray mask = zeros(1, 2, 2, 1).add(arr(new double[] {0.5, 0.25}, 1, 2, 1, 1));
        NDArray y = ModulatedDeformConv2d.forward(
                x, zeros(1, 4, 2, 1), mask, full(1, 1, 1, 1, 2), null, DeformConvOptions.DEFAULT);
        assertArrayEquals(new double[] {0.5 * 1 + 0.25 * 2, 0.5 * 3 + 0.25 * 4}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void offsetsFarOutsideTheImageSampleZeroAndLeaveTheBias() {
        NDArray x = arr(ramp(9), 1, 1, 3, 3);
        NDArray y = ModulatedDeformConv2d.forward(
                x,
                full(-100, 1, 18, 3, 3),
                full(1, 1, 9, 3, 3),
                full(1, 2, 1, 3, 3),
                arr(new double[] {0.25, -2}, 2),
                DeformConvOptions.builder().padding(1).build());
        double[] expected = new double[18];
        java.util.Arrays.fill(expected, 0, 9, 0.25);
        java.util.Arrays.fill(expected, 9, 18, -2);
        assertArrayEquals(expected, y.toDoubleArray(), 0);
    }

    @Test
    void eachDeformableGroupMovesOnlyItsOwnChannels() {
        // Two channels, two groups: group 0 samples one row down, group 1 one column right.
        NDArray x = arr(ramp(8), 1, 2, 2, 2); // channel 0: 1..4, channel 1: 5..8
        NDArray offset = zeros(1, 4, 2, 2).add(arr(new double[] {1, 0, 0, 1}, 1, 4, 1, 1));
        NDArray identity = arr(new double[] {1, 0, 0, 1}, 2, 2, 1, 1);
        NDArray y = ModulatedDeformConv2d.forward(
                x,
                offset,
                full(1, 1, 2, 2, 2),
                identity,
                null,
                DeformConvOptions.builder().deformableGroups(2).build());
        assertArrayEquals(new double[] {3, 4, 0, 0, 6, 0, 8, 0}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void aSampleExactlyOnRowMinusOneIsZeroWithZeroOffsetGradient() {
        // Padding 1, zero offsets: the top tap of output row 0 sits at h = -1, outside (h <= -1).
        NDArray x = arr(ramp(4), 1, 1, 2, 2);
        NDArray offset = zeros(1, 2, 4, 2); // 1x1 kernel, padding (1, 0): 4x2 outputs at h = ho - 1
        offset.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = ModulatedDeformConv2d.forward(
                    x,
                    offset,
                    null,
                    full(1, 1, 1, 1, 1),
                    null,
                    DeformConvOptions.builder().padding(1, 0).build());
            // Output rows 0..3 sample h = -1, 0, 1, 2: zero, row 0, row 1, zero.
            assertArrayEquals(new double[] {0, 0, 1, 2, 3, 4, 0, 0}, y.toDoubleArray(), 1e-12);
            gc.backward(y.sum());
            double[] g = offset.getGradient().toDoubleArray(); // (1, 2, 4, 2): dy then dx
            // The published kernel (dmcn_get_coordinate_weight) gives no gradient at h = -1, row 0.
            assertArrayEquals(new double[] {0, 0}, new double[] {g[0], g[1]}, 0);
            // Inside the image the dy-gradient is the difference to the next row: 3 - 1 and 4 - 2.
            assertArrayEquals(new double[] {2, 2}, new double[] {g[2], g[3]}, 1e-12);
        }
    }

    @Test
    void outputStaysOnTheInputsManagerDeviceAndDtype() {
        NDArray x = m.create(new float[16], new Shape(1, 1, 4, 4));
        NDArray y = ModulatedDeformConv2d.forward(
                x,
                m.zeros(new Shape(1, 18, 4, 4)),
                null,
                m.ones(new Shape(2, 1, 3, 3)),
                null,
                DeformConvOptions.builder().padding(1).build());
        assertArrayEquals(new long[] {1, 2, 4, 4}, y.getShape().getShape());
        org.junit.jupiter.api.Assertions.assertEquals(DataType.FLOAT32, y.getDataType());
        org.junit.jupiter.api.Assertions.assertEquals(x.getDevice(), y.getDevice());
        org.junit.jupiter.api.Assertions.assertSame(m, y.getManager());
    }

    @Test
    void aCallInAShortLivedManagerLeavesNothingInTheWeightsManager() {
        NDArray weight = m.ones(new Shape(2, 1, 3, 3)); // a model parameter, in the long-lived manager
        int before = m.getManagedArrays().size();
        try (ai.djl.ndarray.NDManager call = m.newSubManager()) {
            NDArray x = call.create(new float[16], new Shape(1, 1, 4, 4));
            NDArray y = ModulatedDeformConv2d.forward(
                    x,
                    call.zeros(new Shape(1, 18, 4, 4)),
                    null,
                    weight,
                    null,
                    DeformConvOptions.builder().padding(1).build());
            org.junit.jupiter.api.Assertions.assertSame(call, y.getManager());
        }
        org.junit.jupiter.api.Assertions.assertEquals(
                before, m.getManagedArrays().size(), "arrays left behind in the weight's manager");
    }
}
