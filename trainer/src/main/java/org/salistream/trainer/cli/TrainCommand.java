package org.salistream.trainer.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.salistream.model.ModelConfig;
import org.salistream.model.cli.CommandErrors;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.trainer.data.SyntheticSplits;
import org.salistream.trainer.optim.StepDecay;
import org.salistream.trainer.step.BatchNormMode;
import org.salistream.trainer.train.SaliTrainer;
import org.salistream.trainer.train.TrainOptions;
import org.salistream.trainer.train.TrainReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali train}: trains SALI on a SUN-SEG-layout dataset as the published {@code train_video.py} does
 * and writes native checkpoints ({@code <out>/best}, {@code <out>/last}) that {@code sali segment}, the
 * benchmark and the pipeline load. Defaults are the published ones.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train SALI as the published train_video.py does, on SUN-SEG-layout data:",
            "<data>/<split>/Frame/<case>/*.jpg and <data>/<split>/GT/<case>/*.png.",
            "Writes <out>/best and <out>/last: native checkpoints with provenance.",
            "--synthetic N trains on N synthetic cases made on the spot (smoke run)."
        })
public final class TrainCommand implements Callable<Integer> {

    static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "ROOT", description = "Dataset root holding the splits.")
    Path data;

    @Option(
            names = "--train-split",
            defaultValue = "TrainDataset",
            paramLabel = "NAME",
            description = "Training split (default: ${DEFAULT-VALUE}, as published).")
    String trainSplit;

    @Option(
            names = "--val-split",
            defaultValue = "TestHardDataset/Seen",
            paramLabel = "NAME",
            description = "Validation split, segmented after every epoch (default: ${DEFAULT-VALUE}, as published).")
    String valSplit;

    @Option(names = "--no-val", description = "Skip validation; best = the epoch with the lowest training loss.")
    boolean noVal;

    @Option(
            names = "--val-cases",
            defaultValue = "0",
            paramLabel = "N",
            description = "Validate on the first N cases only (default: all).")
    int valCases;

    @Option(
            names = "--select",
            defaultValue = "dice",
            paramLabel = "METRIC",
            description =
                    "Validation metric that picks the best checkpoint: dice (published: frame-mean Dice of the"
                            + " prediction above 0.5), mae, Smeasure, meanDice, maxDice or meanIoU (default: ${DEFAULT-VALUE}).")
    String select;

    @Option(
            names = "--backbone",
            defaultValue = "pvt_v2_b5",
            paramLabel = "NAME",
            description = "Encoder: pvt_v2_b0 .. pvt_v2_b5 (default: ${DEFAULT-VALUE}, as published).")
    String backbone;

    @Option(names = "--size", defaultValue = "352", description = "Training size S (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--epochs",
            defaultValue = "199",
            description = "Epochs (default: ${DEFAULT-VALUE}: the published range(1, 200)).")
    int epochs;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Initial learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--decay-rate",
            defaultValue = "0.1",
            description = "Learning-rate decay factor (default: ${DEFAULT-VALUE}).")
    double decayRate;

    @Option(
            names = "--decay-epoch",
            defaultValue = "50",
            description = "Decay the learning rate every N epochs (default: ${DEFAULT-VALUE}).")
    int decayEpoch;

    @Option(
            names = "--clip",
            defaultValue = "0.5",
            description = "Clamp each gradient element to [-clip, clip]; 0 for none (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(
            names = "--encoder",
            paramLabel = "FILE",
            description =
                    "Pretrained encoder weights (pvt_v2_bN.pth, as published); else the encoder starts untrained.")
    Path encoder;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "Start from a full SALI checkpoint (.pth or native folder) instead: fine-tuning.")
    Path weights;

    @Option(
            names = "--out",
            defaultValue = "checkpoints",
            paramLabel = "DIR",
            description = "Checkpoint folder; best/ and last/ are written in it (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "2021", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description =
                    "PyTorch intra- and inter-op threads; 0 keeps the engine's default (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--workers", defaultValue = "1", description = "Data-loading threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--max-steps",
            defaultValue = "0",
            description = "Stop after N optimiser steps (then validate and save); 0 for no limit.")
    long maxSteps;

    @Option(
            names = "--mem-freq",
            defaultValue = "5",
            description = "Validation: write the memory every N frames (default: ${DEFAULT-VALUE}).")
    int memFreq;

    @Option(
            names = "--bn",
            defaultValue = "batch",
            paramLabel = "MODE",
            description = "BatchNorm in training: batch (published: model.train() puts every layer on batch"
                    + " statistics), frozen-backbone (what freeze_bn() intended) or eval (default: ${DEFAULT-VALUE}).")
    String bn;

    @Option(names = "--no-augment", description = "Skip the published flip/rotation/colour/pepper augmentations.")
    boolean noAugment;

    @Option(names = "--no-curriculum", description = "Keep max_skip at 5 instead of the published 5/10/15/20/25/5.")
    boolean noCurriculum;

    @Option(names = "--log-every", defaultValue = "20", description = "Progress line every N steps (and every 30 s).")
    int logEvery;

    @Option(
            names = "--drop-path",
            defaultValue = "0.3",
            paramLabel = "RATE",
            description = "Stochastic depth of the encoder in training, rising linearly to RATE at its last block"
                    + " (default: ${DEFAULT-VALUE}, as published); 0 for none.")
    double dropPath;

    @Option(
            names = "--resume",
            paramLabel = "DIR",
            description = "Continue a run from its <out>/last folder: weights, optimiser, step, epoch, best score"
                    + " (same data, seed, batch and model; --epochs may grow).")
    Path resume;

    @Option(
            names = "--synthetic",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Train on N synthetic cases (plus validation cases) made on the spot under <out>/synthetic-data.")
    int synthetic;

    @Option(
            names = "--synthetic-frames",
            defaultValue = "12",
            paramLabel = "M",
            description = "Frames per synthetic case (default: ${DEFAULT-VALUE}).")
    int syntheticFrames;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        return CommandErrors.run(
                "sali train", err, () -> train(spec.commandLine().getOut(), err));
    }

    private int train(PrintWriter outw, PrintWriter err) throws Exception {
        if (threads < 0 || synthetic < 0) {
            throw new IllegalArgumentException("--threads and --synthetic must not be negative");
        }
        ModelConfig model = ModelConfig.published()
                .withBackbone(PvtV2Config.named(backbone))
                .withSize(size)
                .withMemory(
                        memFreq,
                        ModelConfig.published().memLength(),
                        ModelConfig.published().topK());
        Path root = data;
        String train = trainSplit;
        String val = noVal ? null : valSplit;
        if (synthetic > 0) {
            if (data != null) {
                throw new IllegalArgumentException("give either --data or --synthetic, not both");
            }
            root = out.resolve("synthetic-data");
            SyntheticSplits s = SyntheticSplits.make(root, synthetic, syntheticFrames, size, seed, line -> {
                err.println("sali train: " + line);
                err.flush();
            });
            train = s.train();
            val = noVal ? null : s.val();
        } else if (data == null) {
            throw new IllegalArgumentException("--data is required (the folder holding " + trainSplit + "/Frame and "
                    + trainSplit + "/GT), or --synthetic N for a smoke run");
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--data " + root + ": no such folder");
        }
        TrainOptions options = TrainOptions.builder(root, train)
                .valSplit(val)
                .model(model)
                .epochs(epochs)
                .batch(batch)
                .schedule(new StepDecay(lr, decayRate, decayEpoch))
                .clip(clip)
                .seed(seed)
                .workers(workers)
                .maxSteps(maxSteps)
                .out(out)
                .encoderWeights(encoder)
                .initWeights(weights)
                .batchNorm(BatchNormMode.parse(bn))
                .augment(!noAugment)
                .curriculum(!noCurriculum)
                .valMaxCases(valCases)
                .select(select)
                .logEvery(logEvery)
                .dropPath(dropPath)
                .resume(resume)
                .build();
        setThreads();
        err.printf(
                Locale.ROOT,
                "sali train: %s %s on %s, intra-op threads %d%n",
                Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(),
                Engine.getInstance().defaultDevice(),
                JniUtils.getNumThreads());
        err.flush();
        TrainReport report;
        StatusLine lines = new StatusLine(err, "sali train: ", System.console() != null);
        try (SaliTrainer trainer = new SaliTrainer(options, lines::line, lines.inPlace() ? lines::status : null)) {
            report = trainer.run();
        } finally {
            lines.end();
        }
        outw.printf(
                Locale.ROOT,
                "trained %d step(s) in %d epoch(s) at %.3f steps/s; best epoch %d -> %s; last -> %s%n",
                report.steps(),
                report.epochs(),
                report.stepsPerSecond(),
                report.bestEpoch(),
                report.best(),
                report.last());
        outw.flush();
        return 0;
    }

    private void setThreads() {
        if (threads > 0) {
            // The properties only count when the engine loads; intra-op threads can still change afterwards.
            System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
            System.setProperty(INTEROP_PROPERTY, Integer.toString(threads));
            Engine.getInstance();
            if (JniUtils.getNumThreads() != threads) {
                JniUtils.setNumThreads(threads);
            }
        }
    }
}
