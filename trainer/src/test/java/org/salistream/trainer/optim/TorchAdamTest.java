package org.salistream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TorchAdam} against Adam steps worked out by hand with PyTorch's formulas (betas 0.9/0.999, eps
 * 1e-8 added after the bias correction, gradients clamped to [-0.5, 0.5] first as the published
 * {@code clip_gradient}).
 */
class TorchAdamTest {

    @Test
    void twoStepsMatchPyTorchsAdamWithClippedGradients() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            Parameter w = parameter(manager, "w", new float[] {1, 2, 3, 4}, true);
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("w", w);
            try (TorchAdam adam = new TorchAdam(params, manager)) {
                // Step 1: the first Adam step moves every element by lr * g / (|g| + eps), i.e. lr against
                // the sign of its gradient; 1.5 is clipped to 0.5 first, and a zero gradient does not move.
                backward(manager, w, new float[] {0.2f, -0.3f, 1.5f, 0f});
                adam.step(0.1, 0.5);
                assertArrayEquals(
                        new float[] {0.9f, 2.1f, 2.9f, 4.0f}, w.getArray().toFloatArray(), 1e-6f);
                // Step 2, with the next epoch's learning rate; expected values from the formulas in float64.
                backward(manager, w, new float[] {0.1f, 0.1f, -0.5f, 0.2f});
                adam.step(0.01, 0.5);
                assertArrayEquals(
                        new float[] {0.89067821f, 2.10400218f, 2.90052632f, 3.99255863f},
                        w.getArray().toFloatArray(),
                        2e-6f);
                assertEquals(2, adam.steps());
            }
        }
    }

    @Test
    void aStepClearsTheGradientsSoThatTheNextBackwardDoesNotAccumulate() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            Parameter w = parameter(manager, "w", new float[] {0, 0}, true);
            try (TorchAdam adam = new TorchAdam(Map.of("w", w), manager)) {
                backward(manager, w, new float[] {0.25f, -0.125f});
                adam.step(0.0, 0.5);
                try (NDArray g = w.getArray().getGradient()) {
                    assertArrayEquals(new float[] {0f, 0f}, g.toFloatArray(), 0f); // -0 counts as 0
                }
                backward(manager, w, new float[] {0.5f, 0.5f});
                try (NDArray g = w.getArray().getGradient()) {
                    assertArrayEquals(new float[] {0.5f, 0.5f}, g.toFloatArray());
                }
            }
        }
    }

    @Test
    void buffersWithoutGradientAreLeftAlone() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            Parameter w = parameter(manager, "w", new float[] {1}, true);
            Parameter runningMean = parameter(manager, "running_mean", new float[] {7}, false);
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("w", w);
            params.put("running_mean", runningMean);
            try (TorchAdam adam = new TorchAdam(params, manager)) {
                assertEquals(1, adam.parameters().size());
                backward(manager, w, new float[] {1f});
                adam.step(0.1, 0.5);
                assertArrayEquals(new float[] {7f}, runningMean.getArray().toFloatArray());
                assertArrayEquals(new float[] {0.9f}, w.getArray().toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void theLearningRateIsCheckedAndTheSettingsToo() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            Parameter w = parameter(manager, "w", new float[] {1}, true);
            try (TorchAdam adam = new TorchAdam(Map.of("w", w), manager)) {
                assertThrows(IllegalArgumentException.class, () -> adam.step(Double.NaN, 0.5));
            }
            assertThrows(
                    IllegalArgumentException.class, () -> new TorchAdam(Map.of("w", w), manager, 1.0, 0.999, 1e-8));
        }
    }

    /** Gives {@code w} the gradient {@code g}: the gradient of sum(w * g). */
    private static void backward(NDManager manager, Parameter w, float[] g) {
        try (NDManager m = manager.newSubManager()) {
            NDArray c = m.create(g);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.getArray().mul(c).sum());
            }
        }
    }

    private static Parameter parameter(NDManager manager, String name, float[] values, boolean grad) {
        Parameter p = Parameter.builder()
                .setName(name)
                .setType(grad ? Parameter.Type.WEIGHT : Parameter.Type.RUNNING_MEAN)
                .optShape(new Shape(values.length))
                .optRequiresGrad(grad)
                .optInitializer(Initializer.ZEROS)
                .build();
        p.initialize(manager, DataType.FLOAT32);
        p.getArray().set(values);
        return p;
    }
}
