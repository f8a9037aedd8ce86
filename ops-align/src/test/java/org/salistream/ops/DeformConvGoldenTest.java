package org.salistream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.salistream.ops.io.NpyArray;
import org.salistream.ops.reference.DeformConvReference;
import org.salistream.ops.testing.Golden;
import org.salistream.ops.testing.NdTesting;

/**
 * {@link ModulatedDeformConv2d} and {@link DeformConvReference} against
 * {@code torchvision.ops.deform_conv2d} outputs and gradients of input, offset, mask, weight and bias
 * ({@code golden/ops/deform_conv.npz}), in float64 (1e-9) and float32 (1e-4 relative); the inference path
 * ({@link ModulatedDeformConv2d#forwardInference}, libtorch's grid sampler) against the same outputs.
 *
 * <p>The bounds are the golden README's for a faithful op. The floors under them, measured on AMD EPYC
 * (AVX-512) with libtorch at 1 and at 2 intra-op threads (the same figures at both): float64 results and
 * gradients agree to 1.1e-14 (unit roundoff 1.1e-16 over sums of a few hundred terms), float32 ones to
 * 8.6e-7 of the largest value (unit roundoff 6e-8 over the same sums). The margins are large (1e5 and 100)
 * because a wrong sampling rule or a missing gradient term differs by O(1), far above either bound.
 */
@Tag("float-parity")
class DeformConvGoldenTest {

    private static final String[] GRADIENTS = {"x", "offset", "mask", "weight", "bias"};

    @TestFactory
    List<DynamicTest> djlDeformConvMatchesTorchvisionOutputsAndGradients() {
        return eachCaseInBothTypes(DeformConvGoldenTest::checkDjl);
    }

    @TestFactory
    List<DynamicTest> inferencePathMatchesTorchvisionOutputs() {
        return eachCaseInBothTypes(DeformConvGoldenTest::checkInference);
    }

    /** One dynamic test per golden case and float type. */
    private static List<DynamicTest> eachCaseInBothTypes(Check check) {
        Map<String, NpyArray> npz = Golden.npz("ops/deform_conv.npz");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : OpsGoldenCases.of("deform_conv2d")) {
            for (DataType dt : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                tests.add(DynamicTest.dynamicTest(describe(c) + " " + dt, () -> check.run(c, npz, dt)));
            }
        }
        return tests;
    }

    /** A check of one golden case in one float type. */
    @FunctionalInterface
    private interface Check {
        void run(JsonNode c, Map<String, NpyArray> npz, DataType dt);
    }

    private static void checkInference(JsonNode c, Map<String, NpyArray> npz, DataType dt) {
        String n = c.get("name").asText();
        int st = c.get("stride").asInt();
        int p = c.get("padding").asInt();
        int d = c.get("dilation").asInt();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] in = new NDArray[5];
            for (int i = 0; i < 5; i++) {
                in[i] = NdTesting.toNd(m, npz.get(n + "_" + GRADIENTS[i]), dt);
            }
            NDArray y = ModulatedDeformConv2d.forwardInference(
                    in[0],
                    in[1],
                    in[2],
                    in[3],
                    in[4],
                    DeformConvOptions.of(
                            new int[] {st, st},
                            new int[] {p, p},
                            new int[] {d, d},
                            c.get("deformable_groups").asInt()));
            NdTesting.assertShape(npz.get(n + "_y").shape(), y);
            assertEquals(dt, y.getDataType());
            NdTesting.assertClose(
                    n + " y " + dt,
                    npz.get(n + "_y").toDoubleArray(),
                    NdTesting.values(y),
                    dt == DataType.FLOAT64 ? 1e-9 : 1e-4,
                    dt != DataType.FLOAT64);
        }
    }

    @TestFactory
    List<DynamicTest> javaReferenceMatchesTorchvisionOutputsAndGradients() {
        List<JsonNode> cases = OpsGoldenCases.of("deform_conv2d");
        Map<String, NpyArray> npz = Golden.npz("ops/deform_conv.npz");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(describe(c), () -> {
                String n = c.get("name").asText();
                int[] s = OpsGoldenCases.ints(c.get("input"));
                int k = c.get("kernel").asInt();
                int st = c.get("stride").asInt();
                int p = c.get("padding").asInt();
                int d = c.get("dilation").asInt();
                DeformConvReference ref = new DeformConvReference(
                        s[0],
                        s[1],
                        s[2],
                        s[3],
                        c.get("out_channels").asInt(),
                        k,
                        k,
                        new int[] {st, st},
                        new int[] {p, p},
                        new int[] {d, d},
                        c.get("deformable_groups").asInt());
                double[][] in = new double[5][];
                for (int i = 0; i < 5; i++) {
                    in[i] = npz.get(n + "_" + GRADIENTS[i]).toDoubleArray();
                }
                NdTesting.assertClose(
                        n + " y",
                        npz.get(n + "_y").toDoubleArray(),
                        ref.forward(in[0], in[1], in[2], in[3], in[4]),
                        1e-9,
                        false);
                DeformConvReference.Gradients g = ref.backward(
                        in[0], in[1], in[2], in[3], in[4], npz.get(n + "_gy").toDoubleArray());
                double[][] got = {g.input(), g.offset(), g.mask(), g.weight(), g.bias()};
                for (int i = 0; i < 5; i++) {
                    NdTesting.assertClose(
                            n + " g" + GRADIENTS[i],
                            npz.get(n + "_g" + GRADIENTS[i]).toDoubleArray(),
                            got[i],
                            1e-9,
                            false);
                }
            }));
        }
        return tests;
    }

    private static void checkDjl(JsonNode c, Map<String, NpyArray> npz, DataType dt) {
        String n = c.get("name").asText();
        boolean f64 = dt == DataType.FLOAT64;
        double tol = f64 ? 1e-9 : 1e-4;
        int st = c.get("stride").asInt();
        int p = c.get("padding").asInt();
        int d = c.get("dilation").asInt();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] in = new NDArray[5]; // x, offset, mask, weight, bias
            for (int i = 0; i < 5; i++) {
                in[i] = NdTesting.toNd(m, npz.get(n + "_" + GRADIENTS[i]), dt);
                in[i].setRequiresGradient(true);
            }
            NDArray gy = NdTesting.toNd(m, npz.get(n + "_gy"), dt); // (B, O, Ho, Wo)
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = ModulatedDeformConv2d.forward(
                        in[0],
                        in[1],
                        in[2],
                        in[3],
                        in[4],
                        new int[] {st, st},
                        new int[] {p, p},
                        new int[] {d, d},
                        c.get("deformable_groups").asInt());
                NdTesting.assertShape(npz.get(n + "_y").shape(), y);
                NdTesting.assertClose(
                        n + " y " + dt, npz.get(n + "_y").toDoubleArray(), NdTesting.values(y), tol, !f64);
                gc.backward(y.mul(gy).sum());
                for (int i = 0; i < 5; i++) {
                    NdTesting.assertClose(
                            n + " g" + GRADIENTS[i] + " " + dt,
                            npz.get(n + "_g" + GRADIENTS[i]).toDoubleArray(),
                            NdTesting.values(in[i].getGradient()),
                            tol,
                            !f64);
                }
            }
        }
    }

    private static String describe(JsonNode c) {
        return c.get("name").asText() + " input " + c.get("input") + " k" + c.get("kernel") + " stride "
                + c.get("stride") + " pad " + c.get("padding") + " dilation " + c.get("dilation") + " G "
                + c.get("deformable_groups") + " O " + c.get("out_channels");
    }
}
