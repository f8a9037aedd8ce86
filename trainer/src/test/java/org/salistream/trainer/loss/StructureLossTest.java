package org.salistream.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The published structure loss against values worked out by hand. On a 2x2 image the 31x31 window (padding
 * 15, zeros counted) covers the whole image from every pixel, so the pooled mask is sum(mask) / 961
 * everywhere and the weights are {@code 1 + 5 |sum/961 - m|}: 5.99480 on the one object pixel, 1.00520 on the
 * others.
 */
class StructureLossTest {

    @Test
    void aSmallCaseMatchesTheFormulaWorkedOutByHand() {
        try (NDManager m = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            // Image 1: mask [[1, 0], [0, 0]], logits [[2, -1], [0, 1]]:
            //   wbce = sum(w bce) / sum(w) = 0.343231, wiou = 1 - (inter + 1) / (union - inter + 1) = 0.261379.
            // Image 2: empty mask, logits -3 everywhere (weights 1): bce = log(1 + e^-3) = 0.048587,
            //   wiou = 1 - 1 / (4 sigmoid(-3) + 1) = 0.159454; together 0.208042.
            NDArray pred = m.create(new float[] {2, -1, 0, 1, -3, -3, -3, -3}, new Shape(2, 1, 2, 2));
            NDArray mask = m.create(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, new Shape(2, 1, 2, 2));
            NDArray w = StructureLoss.boundaryWeights(mask);
            assertArrayEquals(
                    new float[] {5.994797f, 1.005203f, 1.005203f, 1.005203f, 1, 1, 1, 1}, w.toFloatArray(), 1e-6f);
            assertEquals(
                    (0.6046096578725135 + 0.20804178191932599) / 2,
                    StructureLoss.of(pred, mask).getFloat(),
                    1e-6);
        }
    }

    @Test
    void theBoundaryWeightsCountZeroPaddingAsPyTorchsDefaultDoes() {
        try (NDManager m = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            // A full 40x40 mask: at a corner the window holds 16x16 ones of 961 places (count_include_pad=True),
            // so the weight is 1 + 5 (1 - 256/961); in the middle the window is all ones and the weight is 1.
            float[] ones = new float[40 * 40];
            java.util.Arrays.fill(ones, 1f);
            float[] w = StructureLoss.boundaryWeights(m.create(ones, new Shape(1, 1, 40, 40)))
                    .toFloatArray();
            assertEquals(1 + 5 * (1 - 256.0 / 961), w[0], 1e-5);
            assertEquals(1.0, w[20 * 40 + 20], 1e-6);
        }
    }

    @Test
    void theTotalIsTheSumOfTheFourOutputsAndItsGradientIsSigmoidMinusTargetWeighted() {
        try (NDManager m = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            NDArray mask = m.create(new float[] {1, 0, 0, 0}, new Shape(1, 1, 2, 2));
            NDArray x = m.create(new float[] {0.5f, -0.25f, 1f, 0f}, new Shape(1, 1, 2, 2));
            x.setRequiresGradient(true);
            NDList preds = new NDList(x, x.mul(m.create(2f)), x.neg(), x);
            NDList total;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // Only the BCE part: its gradient is w (sigmoid(x) - z) / sum(w).
                NDArray bceOnly = StructureLoss.bceWithLogits(x, mask)
                        .mul(StructureLoss.boundaryWeights(mask))
                        .sum()
                        .div(StructureLoss.boundaryWeights(mask).sum());
                gc.backward(bceOnly);
            }
            float[] g = x.getGradient().toFloatArray();
            double w0 = 1 + 5 * (1 - 1 / 961.0);
            double w1 = 1 + 5 / 961.0;
            double sumW = w0 + 3 * w1;
            assertEquals(w0 * (sigmoid(0.5) - 1) / sumW, g[0], 1e-6);
            assertEquals(w1 * sigmoid(-0.25) / sumW, g[1], 1e-6);
            total = StructureLoss.total(preds, mask);
            assertEquals(5, total.size());
            float sum = 0;
            for (int i = 1; i < 5; i++) {
                sum += total.get(i).getFloat();
            }
            assertEquals(sum, total.get(0).getFloat(), 1e-6);
        }
    }

    @Test
    void mismatchedShapesAreRefused() {
        try (NDManager m = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> StructureLoss.of(m.zeros(new Shape(1, 1, 4, 4)), m.zeros(new Shape(1, 1, 2, 2))));
        }
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
