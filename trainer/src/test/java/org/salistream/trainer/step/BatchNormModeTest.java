package org.salistream.trainer.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.nn.BatchNorm2dLayer;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.sali.SaliNetwork;

/** Which BatchNorm layers train on batch statistics, and that their running statistics update as PyTorch's. */
class BatchNormModeTest {

    @Test
    void aTrainingForwardUpdatesTheRunningStatisticsWithPyTorchsMomentum() {
        try (NDManager m = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            BatchNorm2dLayer bn = new BatchNorm2dLayer(1);
            bn.initialize(m, DataType.FLOAT32, new Shape(2, 1, 1, 2));
            Map<String, Parameter> p = ParameterPaths.of(bn);
            p.get("weight").getArray().set(new float[] {1});
            p.get("bias").getArray().set(new float[] {0});
            p.get("running_mean").getArray().set(new float[] {0});
            p.get("running_var").getArray().set(new float[] {1});
            ParameterStore ps = new ParameterStore(m, false);
            // Values 1, 2, 3, 6: mean 3, biased variance 3.5 (normalises), unbiased 14/3 (the running variance).
            NDArray x = m.create(new float[] {1, 2, 3, 6}, new Shape(2, 1, 1, 2));
            float[] y = bn.forward(ps, x, true).toFloatArray();
            assertEquals((1 - 3) / Math.sqrt(3.5 + 1e-5), y[0], 1e-5);
            assertArrayEquals(
                    new float[] {0.3f}, p.get("running_mean").getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(
                    new float[] {(float) (0.9 + 0.1 * 14 / 3.0)},
                    p.get("running_var").getArray().toFloatArray(),
                    1e-6f);
            bn.setFrozen(true);
            float[] frozen = bn.forward(ps, x, true).toFloatArray();
            assertEquals((1 - 0.3) / Math.sqrt(0.9 + 0.1 * 14 / 3.0 + 1e-5), frozen[0], 1e-5);
            assertArrayEquals(
                    new float[] {0.3f}, p.get("running_mean").getArray().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void eachModeFreezesTheLayersItNames() {
        ModelConfig config =
                ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256);
        try (NDManager m = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            SaliNetwork net = SaliModelLoader.newNetwork(config, m, 2);
            Map<String, Parameter> p = ParameterPaths.of(net);
            String backboneStat = "backbone.feat_net.rfb2_1.branch0.0.bn.running_mean";
            String fusionStat = "nlnet.conv1.bn.running_mean";
            SaliTrainStep step = new SaliTrainStep(net, 20);
            ParameterStore ps = new ParameterStore(m, false);
            for (BatchNormMode mode : BatchNormMode.values()) {
                mode.apply(net);
                float[] b0 = p.get(backboneStat).getArray().toFloatArray();
                float[] f0 = p.get(fusionStat).getArray().toFloatArray();
                try (NDManager sub = m.newSubManager()) {
                    float[] img = new float[3 * 256 * 256];
                    for (int i = 0; i < img.length; i++) {
                        img[i] = (i % 97) / 40f - 1;
                    }
                    NDArray x = sub.create(img, new Shape(1, 3, 256, 256));
                    step.forward(ps, x, x, x, sub.zeros(new Shape(1, 1, 256, 256)), true);
                }
                boolean backboneMoved =
                        !Arrays.equals(b0, p.get(backboneStat).getArray().toFloatArray());
                boolean fusionMoved =
                        !Arrays.equals(f0, p.get(fusionStat).getArray().toFloatArray());
                assertEquals(mode == BatchNormMode.BATCH, backboneMoved, mode + ": backbone layer");
                assertEquals(mode != BatchNormMode.EVAL, fusionMoved, mode + ": fusion layer");
            }
        }
    }

    @Test
    void modesParseFromTheirOptionNames() {
        assertEquals(BatchNormMode.FROZEN_BACKBONE, BatchNormMode.parse("frozen-backbone"));
        assertEquals(BatchNormMode.BATCH, BatchNormMode.parse("batch"));
        assertEquals("eval", BatchNormMode.EVAL.optionName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchNormMode.parse("x"));
        assertFalse(e.getMessage().isEmpty());
    }
}
