package org.salistream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.sali.SaliNetwork;
import org.salistream.trainer.data.SyntheticSplits;

/**
 * {@code --resume} continues exactly: two epochs in one run and one epoch plus a resumed second end with the
 * same weights (optimiser moments, step count, learning rate, triplet pairing, shuffling, augmentation and the
 * stochastic-depth draws all restored or re-derived), and the curves file holds one row per epoch either way.
 */
class ResumeTest {

    /**
     * The resumed run's weights may differ from the uninterrupted run's by this much at most. Measured here:
     * 0 (bit-identical; libtorch's CPU kernels are deterministic for a fixed thread count). The margin covers a
     * reduction order that changes with the thread count across runs, which moves float32 sums by ~1e-7
     * relative, over four Adam steps of at most lr = 1e-4 each.
     */
    private static final float TOLERANCE = 1e-6f;

    @Test
    void twoEpochsEqualOneEpochPlusAResumedOne(@TempDir Path dir) throws Exception {
        SyntheticSplits data = SyntheticSplits.make(dir.resolve("data"), 1, 4, 256, 5, line -> {});
        ModelConfig config =
                ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256);
        TrainOptions.Builder base = TrainOptions.builder(data.root(), data.train())
                .model(config)
                .batch(2)
                .seed(9)
                .dropPath(TrainOptions.PUBLISHED_DROP_PATH)
                .logEvery(1);

        TrainReport straight = train(base.epochs(2).out(dir.resolve("straight")).build());
        TrainReport first = train(base.epochs(1).out(dir.resolve("resumed")).build());
        assertEquals(2, first.steps()); // 4 triplets, batch 2
        TrainReport second = train(
                base.epochs(2).out(dir.resolve("resumed")).resume(first.last()).build());

        assertEquals(straight.steps(), second.steps());
        assertEquals(4, second.steps());
        float diff = maxAbsDiff(config, straight.last(), second.last());
        System.out.println("max |straight - resumed| over all weights: " + diff);
        assertTrue(diff <= TOLERANCE, "resumed weights differ by " + diff);

        List<String> csv = Files.readAllLines(dir.resolve("resumed").resolve(TrainingCurves.CSV));
        assertEquals(List.of(TrainingCurves.HEADER), csv.subList(0, 1));
        assertEquals(3, csv.size(), "one row per epoch: " + csv);
        assertTrue(csv.get(2).startsWith("2,4,"), csv.get(2));
        assertTrue(Files.size(dir.resolve("resumed").resolve(TrainingCurves.PNG)) > 1000);
        assertEquals(
                Files.readAllLines(dir.resolve("straight").resolve(TrainingCurves.CSV))
                        .get(2)
                        .split(",")[3],
                csv.get(2).split(",")[3],
                "epoch 2's mean loss");

        // A resume with other settings, or past the planned epochs, is refused before training.
        assertThrows(
                IllegalArgumentException.class,
                () -> train(base.epochs(3)
                        .seed(10)
                        .out(dir.resolve("other"))
                        .resume(second.last())
                        .build()));
        assertThrows(
                IllegalArgumentException.class,
                () -> train(base.epochs(2)
                        .seed(9)
                        .out(dir.resolve("other"))
                        .resume(second.last())
                        .build()));
    }

    private static TrainReport train(TrainOptions o) throws Exception {
        try (SaliTrainer t = new SaliTrainer(o, System.out::println)) {
            return t.run();
        }
    }

    private static float maxAbsDiff(ModelConfig config, Path a, Path b) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            SaliNetwork na = SaliModelLoader.newNetwork(config, m, 1);
            SaliNetwork nb = SaliModelLoader.newNetwork(config, m, 2);
            NativeCheckpoint.load(a, na, config, m);
            NativeCheckpoint.load(b, nb, config, m);
            Map<String, ai.djl.nn.Parameter> pb = ParameterPaths.of(nb);
            float max = 0;
            for (Map.Entry<String, ai.djl.nn.Parameter> e :
                    ParameterPaths.of(na).entrySet()) {
                float[] x = e.getValue().getArray().toFloatArray();
                float[] y = pb.get(e.getKey()).getArray().toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    if (Float.isNaN(x[i]) || Float.isNaN(y[i])) {
                        System.out.println("NaN in " + e.getKey() + "[" + i + "]: " + x[i] + " vs " + y[i]);
                        if (Float.isNaN(x[i]) != Float.isNaN(y[i])) {
                            return Float.POSITIVE_INFINITY;
                        }
                        continue;
                    }
                    max = Math.max(max, Math.abs(x[i] - y[i]));
                }
            }
            return max;
        }
    }
}
