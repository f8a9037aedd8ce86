package org.salistream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.datasets.SunSegFrame;
import org.salistream.datasets.SunSegLayout;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.CheckpointMetadata;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ProcedureRunner;
import org.salistream.trainer.data.SyntheticSplits;
import org.salistream.trainer.data.TrainBatch;

/**
 * End to end on two synthetic cases (PVTv2-B0 at 256x256, batch 2): 20 optimiser steps lower the loss on a fixed
 * batch, validation runs each epoch, and {@code best/} is a native checkpoint with provenance that
 * {@code SaliModelLoader.open} loads and runs on a procedure.
 */
class SaliTrainerSmokeTest {

    @Test
    void twentyStepsLowerTheLossAndWriteALoadableBestCheckpoint(@TempDir Path dir) throws Exception {
        SyntheticSplits data = SyntheticSplits.make(dir.resolve("data"), 2, 6, 256, 11, line -> {});
        ModelConfig config =
                ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256);
        TrainOptions options = TrainOptions.builder(data.root(), data.train())
                .valSplit(data.val())
                .model(config)
                .epochs(4)
                .batch(2)
                .maxSteps(20)
                .seed(3)
                .out(dir.resolve("ckpt"))
                .logEvery(5)
                .build();
        List<String> lines = new ArrayList<>();
        TrainReport report;
        float before;
        float after;
        int arraysBefore;
        try (SaliTrainer trainer = new SaliTrainer(options, line -> {
            lines.add(line);
            System.out.println(line);
        })) {
            TrainBatch fixed = TrainBatch.of(
                    List.of(trainer.dataset().load(0, 99), trainer.dataset().load(7, 98)));
            before = trainer.loss(fixed);
            arraysBefore = trainer.liveArrays();
            report = trainer.run();
            after = trainer.loss(fixed);
            // Every step's tensors were released: only parameters and optimiser state stay.
            assertEquals(arraysBefore, trainer.liveArrays(), "tensors leaked into the long-lived manager");
        }
        System.out.printf(
                Locale.ROOT, "fixed-batch loss %.4f -> %.4f, %.3f steps/s%n", before, after, report.stepsPerSecond());
        assertEquals(20, report.steps());
        assertEquals(4, report.epochs()); // 6 batches per epoch: the limit falls in the fourth
        assertTrue(after < before, "20 steps did not lower the loss on a fixed batch: " + before + " -> " + after);
        assertEquals(4, report.validations().size());
        assertTrue(lines.stream().anyMatch(l -> l.contains("steps/s") && l.contains("ETA")), "no progress line");

        Path best = report.best();
        CheckpointMetadata meta = NativeCheckpoint.readMetadata(best);
        Map<String, Object> prov = meta.provenance();
        assertEquals("pvt_v2_b0", meta.backbone());
        assertEquals(256, meta.inputSize());
        for (String key : List.of(
                "data_root",
                "train_split",
                "val_split",
                "epoch",
                "step",
                "lr",
                "seed",
                "validation",
                "backbone_init",
                "batch_norm")) {
            assertTrue(prov.containsKey(key), "provenance lacks " + key + ": " + prov.keySet());
        }
        assertEquals(report.bestEpoch(), ((Number) prov.get("epoch")).intValue());
        assertTrue(Files.isRegularFile(report.last().resolve(NativeCheckpoint.PARAMS)));

        SunSegLayout val = SunSegLayout.open(data.root(), data.val());
        List<SunSegFrame> frames = val.frames(val.cases().get(0));
        List<float[]> logits = new ArrayList<>();
        try (DjlSaliStages stages = SaliModelLoader.open(best, config)) {
            ProcedureRunner runner = new ProcedureRunner(stages);
            for (int i = 0; i < 3; i++) {
                runner.accept(i, FrameDecoder.read(frames.get(i).image()), (index, r) -> logits.add(r.logits()));
            }
            runner.finish((index, r) -> logits.add(r.logits()));
        }
        assertEquals(3, logits.size());
        for (float[] l : logits) {
            assertNotNull(l);
            for (float v : l) {
                assertTrue(Float.isFinite(v) && Math.abs(v) < 1e3, "implausible logit " + v);
            }
        }
    }
}
