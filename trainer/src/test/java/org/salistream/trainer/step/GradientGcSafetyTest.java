package org.salistream.trainer.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.sali.SaliNetwork;
import org.salistream.trainer.loss.StructureLoss;

/**
 * The gradients of a training step do not change when garbage collections free and reuse memory between the
 * forward and the backward pass. (DJL wraps a scalar operand, {@code x.mul(2f)}, in a Java direct buffer; where
 * autograd keeps that tensor for the backward pass, a collection frees it and the gradients become garbage,
 * NaN after reuse. The forward passes of the network and the loss avoid such operands.) Runs without the
 * golden data: a PyTorch-initialised PVTv2-B0 SALI at 256x256.
 */
class GradientGcSafetyTest {

    @Test
    void gradientsAreTheSameWhetherOrNotTheGarbageCollectorRunsBeforeBackward() {
        ModelConfig config =
                ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256);
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            SaliNetwork net = SaliModelLoader.newNetwork(config, manager, 5);
            BatchNormMode.EVAL.apply(net); // deterministic: the same forward twice
            SaliTrainStep step = new SaliTrainStep(net, config.topK());
            ParameterStore ps = new ParameterStore(manager, false);
            Map<String, Parameter> params = ParameterPaths.of(net);
            String[] probe = {
                "backbone.feat_net.pvtv2_en.patch_embed1.proj.weight",
                "backbone.feat_net.pvtv2_en.block1.0.attn.q.weight",
                "membranch.Key1.weight",
                "pcd_align.dcn_pack.l2.conv_offset.weight",
                "backbone.decoder.RS5.weak_gra.score.weight"
            };
            Map<String, float[]> quiet = gradients(manager, ps, step, params, probe, false);
            Map<String, float[]> stressed = gradients(manager, ps, step, params, probe, true);
            for (String name : probe) {
                float[] a = quiet.get(name);
                float[] b = stressed.get(name);
                double scale = 0;
                double diff = 0;
                for (int i = 0; i < a.length; i++) {
                    assertTrue(Float.isFinite(b[i]), name + ": non-finite gradient after a collection");
                    scale = Math.max(scale, Math.abs(a[i]));
                    diff = Math.max(diff, Math.abs(a[i] - b[i]));
                }
                assertTrue(scale > 0, name + " has no gradient");
                assertTrue(diff <= 1e-5 * scale, name + ": gradients differ by " + diff + " (max |g| " + scale + ")");
            }
        }
    }

    private static Map<String, float[]> gradients(
            NDManager manager,
            ParameterStore ps,
            SaliTrainStep step,
            Map<String, Parameter> params,
            String[] names,
            boolean pressure) {
        int s = 256;
        SplittableRandom rng = new SplittableRandom(9);
        float[] img = new float[3 * s * s];
        float[] gt = new float[s * s];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        for (int i = 0; i < gt.length; i++) {
            int y = i / s;
            int x = i % s;
            gt[i] = (x - 120) * (x - 120) + (y - 130) * (y - 130) < 50 * 50 ? 1f : 0f;
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(img, new Shape(1, 3, s, s));
            NDArray g = m.create(gt, new Shape(1, 1, s, s));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList preds = step.forward(ps, x, x, x, g, true);
                NDArray loss = StructureLoss.total(preds, g).get(0);
                if (pressure) {
                    GcPressure.collectAndReuse();
                }
                gc.backward(loss);
            }
            for (String n : names) {
                try (NDArray grad = params.get(n).getArray().getGradient()) {
                    out.put(n, grad.toFloatArray());
                }
            }
            for (Parameter p : params.values()) {
                if (p.requiresGradient()) {
                    try (NDArray grad = p.getArray().getGradient()) {
                        grad.muli(0f);
                    }
                }
            }
        }
        assertEquals(names.length, out.size());
        return out;
    }
}
