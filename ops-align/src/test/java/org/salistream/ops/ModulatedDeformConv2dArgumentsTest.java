package org.salistream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad arguments to {@link ModulatedDeformConv2d} and {@link DeformConvOptions} fail with messages naming the
 * shapes.
 */
class ModulatedDeformConv2dArgumentsTest {

    private static final DeformConvOptions PAD1 =
            DeformConvOptions.builder().padding(1).build();
    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray z(long... shape) {
        return m.zeros(new Shape(shape));
    }

    private static String fails(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void anOffsetOfTheWrongShapeNamesBothShapes() {
        String msg = fails(() ->
                ModulatedDeformConv2d.forward(z(1, 4, 6, 6), z(1, 9, 6, 6), z(1, 9, 6, 6), z(2, 4, 3, 3), null, PAD1));
        assertEquals(
                "deform_conv2d: offset has shape (1, 9, 6, 6) but input (1, 4, 6, 6), weight (2, 4, 3, 3)"
                        + " and 1 deformable groups need (1, 18, 6, 6)",
                msg);
    }

    @Test
    void aMaskOfTheWrongShapeNamesBothShapes() {
        String msg = fails(() ->
                ModulatedDeformConv2d.forward(z(1, 4, 6, 6), z(1, 18, 6, 6), z(1, 9, 5, 6), z(2, 4, 3, 3), null, PAD1));
        assertEquals(
                "deform_conv2d: mask has shape (1, 9, 5, 6) but input (1, 4, 6, 6), weight (2, 4, 3, 3)"
                        + " and 1 deformable groups need (1, 9, 6, 6)",
                msg);
    }

    @Test
    void channelsNotDivisibleByTheDeformableGroupsAreRejected() {
        DeformConvOptions g3 =
                DeformConvOptions.builder().padding(1).deformableGroups(3).build();
        String msg = fails(() ->
                ModulatedDeformConv2d.forward(z(1, 4, 6, 6), z(1, 54, 6, 6), z(1, 27, 6, 6), z(2, 4, 3, 3), null, g3));
        assertEquals(
                "deform_conv2d: input channels 4 of input (1, 4, 6, 6) are not divisible by 3 deformable groups", msg);
    }

    @Test
    void aWeightWhoseChannelsDifferFromTheInputIsRejected() {
        String msg = fails(() ->
                ModulatedDeformConv2d.forward(z(1, 4, 6, 6), z(1, 18, 6, 6), z(1, 9, 6, 6), z(2, 3, 3, 3), null, PAD1));
        assertEquals(
                "deform_conv2d: weight (2, 3, 3, 3) expects 3 input channels but input (1, 4, 6, 6) has 4"
                        + " (convolution groups other than 1 are not supported)",
                msg);
    }

    @Test
    void wrongRanksAreRejected() {
        assertEquals(
                "deform_conv2d: input (B, C, H, W) must have rank 4, got shape (4, 6, 6)",
                fails(() ->
                        ModulatedDeformConv2d.forward(z(4, 6, 6), z(1, 18, 6, 6), null, z(2, 4, 3, 3), null, PAD1)));
        assertEquals(
                "deform_conv2d: weight (O, C, kh, kw) must have rank 4, got shape (2, 36)",
                fails(() -> ModulatedDeformConv2d.forward(z(1, 4, 6, 6), z(1, 18, 6, 6), null, z(2, 36), null, PAD1)));
        assertEquals(
                "deform_conv2d: offset (B, 2*G*kh*kw, Ho, Wo) must have rank 4, got shape (18, 6, 6)",
                fails(() ->
                        ModulatedDeformConv2d.forward(z(1, 4, 6, 6), z(18, 6, 6), null, z(2, 4, 3, 3), null, PAD1)));
        assertEquals(
                "deform_conv2d: mask (B, G*kh*kw, Ho, Wo) must have rank 4, got shape (9, 36)",
                fails(() -> ModulatedDeformConv2d.forward(
                        z(1, 4, 6, 6), z(1, 18, 6, 6), z(9, 36), z(2, 4, 3, 3), null, PAD1)));
    }

    @Test
    void aBiasOfTheWrongLengthIsRejected() {
        String msg = fails(
                () -> ModulatedDeformConv2d.forward(z(1, 4, 6, 6), z(1, 18, 6, 6), null, z(2, 4, 3, 3), z(3), PAD1));
        assertEquals("deform_conv2d: bias has shape (3) but weight (2, 4, 3, 3) needs (2)", msg);
    }

    @Test
    void mixedDtypesAreRejected() {
        NDArray w = m.zeros(new Shape(2, 4, 3, 3), DataType.FLOAT64);
        String msg = fails(() -> ModulatedDeformConv2d.forward(z(1, 4, 6, 6), z(1, 18, 6, 6), null, w, null, PAD1));
        assertEquals(
                "deform_conv2d: all arrays must share the input's dtype float32, got float64 for shape"
                        + " (2, 4, 3, 3)",
                msg);
    }

    @Test
    void aKernelLargerThanThePaddedInputIsRejected() {
        String msg = fails(() -> ModulatedDeformConv2d.forward(
                z(1, 1, 2, 2), z(1, 18, 1, 1), null, z(1, 1, 3, 3), null, DeformConvOptions.DEFAULT));
        assertEquals(
                "deform_conv2d: input (1, 1, 2, 2) with kernel 3x3 and DeformConvOptions[stride=[1, 1],"
                        + " padding=[0, 0], dilation=[1, 1], deformableGroups=1] gives an empty output 0x0",
                msg);
    }

    @Test
    void optionsRejectBadGeometry() {
        assertEquals(
                "stride must hold 2 values (h, w), got [1]",
                fails(() -> DeformConvOptions.of(new int[] {1}, new int[] {0, 0}, new int[] {1, 1}, 1)));
        assertEquals(
                "padding values must be >= 0, got [-1, 0]",
                fails(() -> DeformConvOptions.builder().padding(-1, 0).build()));
        assertEquals(
                "dilation values must be >= 1, got [0, 0]",
                fails(() -> DeformConvOptions.builder().dilation(0).build()));
        assertEquals(
                "deformable groups must be >= 1, got 0",
                fails(() -> DeformConvOptions.builder().deformableGroups(0).build()));
    }
}
