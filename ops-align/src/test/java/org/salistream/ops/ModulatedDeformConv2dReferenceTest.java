package org.salistream.ops;

import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.salistream.ops.testing.NdTesting;

/**
 * The DJL {@link ModulatedDeformConv2d} against the plain-loop Java reference on random problems: output and
 * all five gradients agree to 1e-5 (relative to the largest value) in float32 and 1e-9 in float64; so does
 * the output of the inference path (libtorch's grid sampler through the project's TorchScript module).
 *
 * <p>Floors (AMD EPYC, libtorch at 1 and 2 intra-op threads, the same at both): float32 results differ
 * from the float64 reference by up to 1.4e-6 of the largest value (the mask gradient, a sum over the
 * output channels and the 3x3 taps of float32 products), so 1e-5 keeps a margin of 7; float64 ones by
 * 7e-15 relative, against 1e-9.
 */
@Tag("float-parity")
class ModulatedDeformConv2dReferenceTest {

    private static final String[] NAMES = {"input", "offset", "mask", "weight", "bias"};

    @Test
    void offsetsThatMoveSamplesOutsideTheImageAgreeOnANonSquareMap() {
        DeformConvProblem p = new DeformConvProblem(
                        2,
                        8,
                        7,
                        9,
                        4,
                        3,
                        3,
                        DeformConvOptions.builder().padding(1).build())
                .randomize(new Random(1), 6.0, true, true);
        agree(p);
    }

    @Test
    void strideTwoWithEightDeformableGroupsAgrees() {
        DeformConvProblem p = new DeformConvProblem(
                        1,
                        8,
                        10,
                        13,
                        3,
                        3,
                        3,
                        DeformConvOptions.builder()
                                .stride(2)
                                .padding(1)
                                .deformableGroups(8)
                                .build())
                .randomize(new Random(2), 2.0, true, true);
        agree(p);
    }

    @Test
    void dilationTwoWithEightDeformableGroupsAgrees() {
        DeformConvProblem p = new DeformConvProblem(
                        1,
                        16,
                        9,
                        12,
                        5,
                        3,
                        3,
                        DeformConvOptions.builder()
                                .padding(2)
                                .dilation(2)
                                .deformableGroups(8)
                                .build())
                .randomize(new Random(3), 2.0, true, true);
        agree(p);
    }

    @Test
    void nonSquareKernelWithUnequalStrideAndPaddingAgrees() {
        DeformConvProblem p = new DeformConvProblem(
                        2,
                        6,
                        8,
                        11,
                        4,
                        3,
                        2,
                        DeformConvOptions.builder()
                                .stride(2, 1)
                                .padding(1, 0)
                                .dilation(1, 2)
                                .deformableGroups(3)
                                .build())
                .randomize(new Random(4), 3.0, true, true);
        agree(p);
    }

    @Test
    void missingMaskAndBiasAgreeAsPlainDeformableConvolution() {
        DeformConvProblem p = new DeformConvProblem(
                        1,
                        4,
                        6,
                        5,
                        3,
                        3,
                        3,
                        DeformConvOptions.builder()
                                .padding(1)
                                .deformableGroups(2)
                                .build())
                .randomize(new Random(5), 1.5, false, false);
        agree(p);
    }

    @Test
    void saliAlignmentShapeWithOneAndEightDeformableGroupsAgrees() {
        for (int g : new int[] {1, 8}) {
            DeformConvProblem p = new DeformConvProblem(
                            1,
                            32,
                            22,
                            22,
                            32,
                            3,
                            3,
                            DeformConvOptions.builder()
                                    .padding(1)
                                    .deformableGroups(g)
                                    .build())
                    .randomize(new Random(6 + g), 4.0, true, true);
            agree(p);
        }
    }

    @Test
    void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward() {
        DeformConvProblem p = new DeformConvProblem(
                        1,
                        8,
                        12,
                        10,
                        4,
                        3,
                        3,
                        DeformConvOptions.builder()
                                .padding(1)
                                .deformableGroups(2)
                                .build())
                .randomize(new Random(9), 2.0, true, true);
        DeformConvProblem.Run ref = p.runReference();
        DeformConvProblem.Run got = p.runDjl(DataType.FLOAT64, true);
        for (int i = 0; i < 5; i++) {
            NdTesting.assertClose("gradient of " + NAMES[i] + " after GC", ref.get(i), got.get(i), 1e-9, true);
        }
    }

    private static void agree(DeformConvProblem p) {
        DeformConvProblem.Run ref = p.runReference();
        for (DataType dt : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            double tol = dt == DataType.FLOAT32 ? 1e-5 : 1e-9;
            DeformConvProblem.Run got = p.runDjl(dt);
            NdTesting.assertClose("y " + dt, ref.y(), got.y(), tol, true);
            NdTesting.assertClose("inference y " + dt, ref.y(), p.forwardInference(dt), tol, true);
            for (int i = 0; i < 5; i++) {
                if (ref.get(i) == null) {
                    continue;
                }
                NdTesting.assertClose("gradient of " + NAMES[i] + " " + dt, ref.get(i), got.get(i), tol, true);
            }
        }
    }
}
