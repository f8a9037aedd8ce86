package org.salistream.ops;

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
import org.salistream.ops.reference.ResampleReference;
import org.salistream.ops.testing.Golden;
import org.salistream.ops.testing.NdTesting;

/**
 * {@link Resample} and {@link ResampleReference} against libtorch's {@code F.interpolate(mode='bilinear')}
 * outputs and input gradients ({@code golden/ops/interpolate.npz}), in float64 (1e-9) and float32 (1e-4
 * relative), the golden README's bounds for a faithful op. Floors measured on AMD EPYC with libtorch at 1
 * and 2 intra-op threads (the same at both): float64 to 2.4e-13 (gradients sum up to a few hundred
 * terms of unit roundoff 1.1e-16), float32 to 2e-7 of the largest value; a wrong coordinate rule differs
 * by O(1).
 */
@Tag("float-parity")
class ResampleGoldenTest {

    @TestFactory
    List<DynamicTest> djlResampleMatchesLibtorchOutputsAndGradients() {
        List<JsonNode> cases = OpsGoldenCases.of("interpolate");
        Map<String, NpyArray> npz = Golden.npz("ops/interpolate.npz");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            for (DataType dt : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                tests.add(DynamicTest.dynamicTest(describe(c) + " " + dt, () -> checkDjl(c, npz, dt)));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> javaReferenceMatchesLibtorchOutputsAndGradients() {
        List<JsonNode> cases = OpsGoldenCases.of("interpolate");
        Map<String, NpyArray> npz = Golden.npz("ops/interpolate.npz");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(describe(c), () -> {
                String n = c.get("name").asText();
                int[] s = OpsGoldenCases.ints(c.get("shape"));
                boolean ac = c.get("align_corners").asBoolean();
                ResampleReference ref = c.get("size").isNull()
                        ? ResampleReference.ofScale(
                                s[0],
                                s[1],
                                s[2],
                                s[3],
                                c.get("scale_factor").asDouble(),
                                c.get("scale_factor").asDouble(),
                                ac)
                        : ResampleReference.ofSize(
                                s[0],
                                s[1],
                                s[2],
                                s[3],
                                c.get("size").get(0).asInt(),
                                c.get("size").get(1).asInt(),
                                ac);
                NdTesting.assertClose(
                        n + " y",
                        npz.get(n + "_y").toDoubleArray(),
                        ref.forward(npz.get(n + "_x").toDoubleArray()),
                        1e-9,
                        false);
                NdTesting.assertClose(
                        n + " gx",
                        npz.get(n + "_gx").toDoubleArray(),
                        ref.backward(npz.get(n + "_gy").toDoubleArray()),
                        1e-9,
                        false);
            }));
        }
        return tests;
    }

    private static void checkDjl(JsonNode c, Map<String, NpyArray> npz, DataType dt) {
        String n = c.get("name").asText();
        boolean ac = c.get("align_corners").asBoolean();
        boolean f64 = dt == DataType.FLOAT64;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = NdTesting.toNd(m, npz.get(n + "_x"), dt); // (B, C, H, W)
            NDArray gy = NdTesting.toNd(m, npz.get(n + "_gy"), dt); // (B, C, outH, outW)
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y;
                if (c.get("size").isNull()) {
                    double s = c.get("scale_factor").asDouble();
                    y = Resample.bilinearScale(x, s, s, ac);
                } else {
                    y = Resample.bilinear(
                            x,
                            c.get("size").get(0).asInt(),
                            c.get("size").get(1).asInt(),
                            ac);
                }
                NdTesting.assertShape(npz.get(n + "_y").shape(), y);
                NdTesting.assertClose(
                        n + " y " + dt,
                        npz.get(n + "_y").toDoubleArray(),
                        NdTesting.values(y),
                        f64 ? 1e-9 : 1e-4,
                        !f64);
                gc.backward(y.mul(gy).sum());
                NdTesting.assertClose(
                        n + " gx " + dt,
                        npz.get(n + "_gx").toDoubleArray(),
                        NdTesting.values(x.getGradient()),
                        f64 ? 1e-9 : 1e-4,
                        !f64);
            }
        }
    }

    private static String describe(JsonNode c) {
        return c.get("name").asText() + " " + c.get("shape")
                + (c.get("size").isNull() ? " scale " + c.get("scale_factor") : " size " + c.get("size"))
                + " alignCorners=" + c.get("align_corners");
    }
}
