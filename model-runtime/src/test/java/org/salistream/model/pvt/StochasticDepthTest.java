package org.salistream.model.pvt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.checkpoint.TorchInitializer;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.sali.SaliNetwork;

/**
 * Stochastic depth as the published PVTv2 applies it: per-sample drops of each residual branch in training
 * (so training-mode outputs differ, and a dropped sample's block is the identity), never at inference (the
 * eval-mode output is bit-identical with and without a rate, which keeps the golden parity untouched), and the
 * published linear rule of rates over the blocks.
 */
class StochasticDepthTest {

    private static final int B = 16;

    @Test
    void evalModeIsBitIdenticalWithAndWithoutDropPath() {
        try (NDManager m = NDManager.newBaseManager()) {
            PyramidVisionTransformerV2 enc = encoder(m);
            NDArray x = m.randomNormal(new Shape(2, 3, 64, 64)); // (B, 3, H, W)
            ParameterStore ps = new ParameterStore(m, false);
            float[] plain = enc.forward(ps, x, false).get(3).toFloatArray();
            StochasticDepth draws = new StochasticDepth();
            enc.setDropPath(0.3, draws);
            draws.reseed(1);
            float[] withRate = enc.forward(ps, x, false).get(3).toFloatArray();
            assertArrayEquals(plain, withRate, 0f, "drop path changed an eval-mode forward");
        }
    }

    @Test
    void trainModeDropsWholeSamplesAndDiffersFromNoDrop() {
        try (NDManager m = NDManager.newBaseManager()) {
            PvtBlock block = ParameterPaths.blocks(network(m), PvtBlock.class)
                    .get(TorchInitializer.ENCODER + ".block1.0"); // 32 channels, 1 head, MLP x8, reduction 8
            NDArray x = m.randomNormal(new Shape(B, 64, 32)); // (B, N, C) on an 8x8 grid
            ParameterStore ps = new ParameterStore(m, false);
            float[] in = x.toFloatArray();
            float[] noDrop = block.forward(ps, x, 8, 8, true).toFloatArray();
            StochasticDepth draws = new StochasticDepth();
            block.setDropPath(0.9, draws);
            draws.reseed(42);
            float[] dropped = block.forward(ps, x, 8, 8, true).toFloatArray();
            draws.reseed(42);
            float[] again = block.forward(ps, x, 8, 8, true).toFloatArray();
            assertArrayEquals(dropped, again, 0f, "the same seed must draw the same drops");
            assertFalse(Arrays.equals(noDrop, dropped), "train-mode output did not change with drop path");
            int identity = 0;
            int per = 64 * 32;
            for (int s = 0; s < B; s++) {
                float[] a = Arrays.copyOfRange(dropped, s * per, (s + 1) * per);
                float[] b = Arrays.copyOfRange(in, s * per, (s + 1) * per);
                if (Arrays.equals(a, b)) {
                    identity++; // both branches of this sample dropped: the block passed it through
                }
            }
            // P(both dropped) = 0.81 per sample: P(no such sample among 16) = 0.19^16, never in practice.
            assertTrue(identity > 0, "no sample had both branches dropped");
            block.setDropPath(0.9, draws);
            float[] eval = block.forward(ps, x, 8, 8, false).toFloatArray();
            float[] evalNoRate;
            block.setDropPath(0, draws);
            evalNoRate = block.forward(ps, x, 8, 8, false).toFloatArray();
            assertArrayEquals(evalNoRate, eval, 0f);
        }
    }

    @Test
    void ratesRiseLinearlyFromZeroToThePublishedRate() {
        double[] r = StochasticDepth.rates(0.3, 8); // B0: depths 2/2/2/2
        assertEquals(0.0, r[0]);
        assertEquals(0.3, r[7], 1e-7);
        assertEquals((float) (0.3 * 3 / 7), r[3], 0.0);
        assertThrows(IllegalArgumentException.class, () -> new PvtBlock(32, 1, 8, 8).setDropPath(1.0, null));
    }

    private static SaliNetwork network(NDManager m) {
        return SaliModelLoader.newNetwork(
                ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256), m, 7);
    }

    private static PyramidVisionTransformerV2 encoder(NDManager m) {
        return network(m).backbone().featNet().encoder();
    }
}
