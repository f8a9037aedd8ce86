package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.salistream.model.ModelConfig;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.sali.SaliNetwork;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.FramePolicy;
import org.salistream.model.stage.SegmentRequest;

/** {@link TorchInitializer}: the published initialisation rules per layer, seeded, and sane untrained outputs. */
class TorchInitializerTest {

    private static final ModelConfig CONFIG =
            ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256);

    @Test
    void eachLayerGetsThePublishedInitialisation() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            SaliNetwork net = SaliModelLoader.newNetwork(CONFIG, manager, 1);
            Map<String, Parameter> p = ParameterPaths.of(net);
            // Zero-initialised as published: DCN offset/mask convolutions and the non-local output projections.
            assertAllEqual(p, "pcd_align.dcn_pack.l2.conv_offset.weight", 0f);
            assertAllEqual(p, "pcd_align.dcn_pack.l2.conv_offset.bias", 0f);
            assertAllEqual(p, "nlnet.nl_layer3.W.weight", 0f);
            assertAllEqual(p, "pcd_align.dcn_pack.l1.bias", 0f);
            // BatchNorm and LayerNorm: identity.
            assertAllEqual(p, "backbone.feat_net.rfb3_1.conv_cat.bn.weight", 1f);
            assertAllEqual(p, "backbone.feat_net.rfb3_1.conv_cat.bn.running_var", 1f);
            assertAllEqual(p, "backbone.feat_net.rfb3_1.conv_cat.bn.running_mean", 0f);
            assertAllEqual(p, "backbone.feat_net.pvtv2_en.block2.1.norm1.weight", 1f);
            // PVT Linear: truncated normal, std 0.02, zero bias.
            float[] q = values(p, "backbone.feat_net.pvtv2_en.block3.0.attn.q.weight"); // (160, 160)
            assertEquals(0.02, std(q), 0.002);
            assertAllEqual(p, "backbone.feat_net.pvtv2_en.block3.0.attn.q.bias", 0f);
            // PVT Conv2d: normal(0, sqrt(2 / fan_out)); the depth-wise conv has fan_out = 9 * C / C = 9.
            assertEquals(
                    Math.sqrt(2.0 / 9),
                    std(values(p, "backbone.feat_net.pvtv2_en.block1.0.mlp.dwconv.dwconv.weight")),
                    0.05);
            assertEquals(
                    Math.sqrt(2.0 / (49 * 32)),
                    std(values(p, "backbone.feat_net.pvtv2_en.patch_embed1.proj.weight")),
                    0.002);
            // PyTorch's default Conv2d: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias; fan_in 32*3*3.
            double bound = 1 / Math.sqrt(32 * 9);
            assertUniform(values(p, "membranch.Key0.weight"), bound);
            for (float v : values(p, "membranch.Value1.bias")) {
                assertTrue(v != 0 && Math.abs(v) <= bound, "bias outside +-" + bound + ": " + v);
            }
            // DCNv2 weight: U(-1/sqrt(in * k * k)).
            assertUniform(values(p, "pcd_align.dcn_pack.l3.weight"), bound);
        }
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            SaliNetwork a = SaliModelLoader.newNetwork(CONFIG, manager, 7);
            SaliNetwork b = SaliModelLoader.newNetwork(CONFIG, manager, 7);
            SaliNetwork c = SaliModelLoader.newNetwork(CONFIG, manager, 8);
            String name = "backbone.decoder.NCD.conv4.conv.weight";
            float[] va = values(ParameterPaths.of(a), name);
            assertArrayEquals(va, values(ParameterPaths.of(b), name));
            assertFalse(Arrays.equals(va, values(ParameterPaths.of(c), name)));
        }
    }

    @Test
    void anUntrainedNetworkGivesModerateLogits() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            SaliNetwork net = SaliModelLoader.newNetwork(CONFIG, manager, 3);
            byte[] rgb = new byte[3 * 256 * 256];
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (byte) rng.nextInt(256);
            }
            try (DjlSaliStages stages = new DjlSaliStages(CONFIG, net, manager, false)) {
                var f = stages.encode(List.of(new RgbImage(256, 256, rgb))).get(0);
                float[] logits = stages.segment(List.of(new SegmentRequest(
                                f, f, MemoryState.empty(), FramePolicy.forOrdinal(0, CONFIG.memFreq()))))
                        .get(0)
                        .logits();
                float max = 0;
                for (float v : logits) {
                    assertTrue(Float.isFinite(v));
                    max = Math.max(max, Math.abs(v));
                }
                // With DJL's default (Xavier) initialisers the same network gives logits of order 1e4.
                assertTrue(max < 50, "untrained logits reach " + max);
            }
        }
    }

    private static float[] values(Map<String, Parameter> p, String name) {
        Parameter param = p.get(name);
        assertTrue(param != null, "no parameter " + name);
        return param.getArray().toFloatArray();
    }

    private static void assertAllEqual(Map<String, Parameter> p, String name, float v) {
        for (float x : values(p, name)) {
            assertEquals(v, x, 0f, name);
        }
    }

    private static void assertUniform(float[] v, double bound) {
        double max = 0;
        for (float x : v) {
            assertTrue(Math.abs(x) <= bound * (1 + 1e-6), "outside +-" + bound + ": " + x);
            max = Math.max(max, Math.abs(x));
        }
        assertTrue(max > 0.8 * bound, "values do not fill +-" + bound + " (max " + max + ")");
        assertEquals(bound / Math.sqrt(3), std(v), 0.25 * bound / Math.sqrt(3) + 1e-9);
    }

    private static double std(float[] v) {
        double s = 0;
        double ss = 0;
        for (float x : v) {
            s += x;
            ss += (double) x * x;
        }
        double mean = s / v.length;
        return Math.sqrt(ss / v.length - mean * mean);
    }
}
