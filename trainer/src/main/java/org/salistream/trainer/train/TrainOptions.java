package org.salistream.trainer.train;

import java.nio.file.Path;
import java.util.Objects;
import org.salistream.model.ModelConfig;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.trainer.optim.StepDecay;
import org.salistream.trainer.step.BatchNormMode;

/**
 * The settings of a training run; {@link #builder()} starts from the published ones ({@code train_video.py}'s
 * argparse defaults: 199 epochs ({@code range(1, 200)}), Adam at 1e-4 decayed tenfold every 50 epochs,
 * batch 8, 352x352, gradient clip 0.5, seed 2021, validation memory every 5 frames), except the backbone,
 * which defaults to PVTv2-B5 as published but is usually chosen explicitly.
 *
 * @param dataRoot the SUN-SEG root ({@code <root>/<split>/Frame}, {@code GT})
 * @param trainSplit the training split, e.g. {@code TrainDataset}
 * @param valSplit the validation split, e.g. {@code TestHardDataset/Seen}; null for none (then the best
 *     checkpoint is the epoch with the lowest mean training loss)
 * @param model backbone, size, memory settings (the validation runs the streaming procedure with them)
 * @param epochs epochs to train, numbered from 1
 * @param batch batch size B
 * @param schedule learning-rate schedule
 * @param clip gradient clipping margin (elements clamped to [-clip, clip]); 0 for none
 * @param seed seed of initialisation, pairing, shuffling and augmentation
 * @param workers data-loading threads
 * @param maxSteps stop after this many optimiser steps in all (0: no limit), then validate and save
 * @param out the checkpoint folder; {@code best/} and {@code last/} are written in it
 * @param encoderWeights pretrained encoder weights ({@code pvt_v2_bN.pth}), or null to start from scratch
 * @param initWeights a full SALI checkpoint to start from (fine-tuning), or null
 * @param batchNorm which BatchNorm layers use batch statistics
 * @param augment whether to apply the published augmentations
 * @param curriculum whether to follow the published {@code max_skip} curriculum (else 5 throughout)
 * @param valMaxCases validate on the first N cases only (0: all)
 * @param select the validation metric that picks the best checkpoint ({@code dice}, published)
 * @param logEvery a progress line at least every this many steps (and every 30 s)
 * @param dropPath the encoder's stochastic-depth rate (published: {@value #PUBLISHED_DROP_PATH}); 0 for none
 * @param resume a checkpoint folder written by the trainer ({@code <out>/last}) to continue from, or null
 */
public record TrainOptions(
        Path dataRoot,
        String trainSplit,
        String valSplit,
        ModelConfig model,
        int epochs,
        int batch,
        StepDecay schedule,
        double clip,
        long seed,
        int workers,
        long maxSteps,
        Path out,
        Path encoderWeights,
        Path initWeights,
        BatchNormMode batchNorm,
        boolean augment,
        boolean curriculum,
        int valMaxCases,
        String select,
        int logEvery,
        double dropPath,
        Path resume) {

    /** The published number of epochs: {@code for epoch in range(1, opt.epoch)} with {@code opt.epoch = 200}. */
    public static final int PUBLISHED_EPOCHS = 199;
    /** The published batch size. */
    public static final int PUBLISHED_BATCH = 8;
    /** The published clip margin. */
    public static final double PUBLISHED_CLIP = 0.5;
    /** The published seed. */
    public static final long PUBLISHED_SEED = 2021;
    /** The published encoder's {@code drop_path_rate} ({@code lib/pvtv2_afterRFB.py}). */
    public static final double PUBLISHED_DROP_PATH = 0.3;

    /** Validates. */
    public TrainOptions {
        Objects.requireNonNull(dataRoot, "dataRoot");
        Objects.requireNonNull(trainSplit, "trainSplit");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(batchNorm, "batchNorm");
        Objects.requireNonNull(select, "select");
        if (epochs < 1 || batch < 1 || workers < 1 || maxSteps < 0 || valMaxCases < 0 || logEvery < 1) {
            throw new IllegalArgumentException("epochs, batch, workers and log interval must be at least 1, and"
                    + " max steps and validation cases not negative");
        }
        if (!(dropPath >= 0 && dropPath < 1)) {
            throw new IllegalArgumentException("drop-path rate must be in [0, 1), got " + dropPath);
        }
        if (resume != null && (encoderWeights != null || initWeights != null)) {
            throw new IllegalArgumentException(
                    "--resume continues a run with its own weights; it takes neither" + " --encoder nor --weights");
        }
        if (!(clip >= 0)) {
            throw new IllegalArgumentException("clip must not be negative, got " + clip);
        }
        if (encoderWeights != null && initWeights != null) {
            throw new IllegalArgumentException(
                    "give either encoder weights (--encoder) or a full checkpoint" + " (--weights), not both");
        }
    }

    /** A builder with the published settings. */
    public static Builder builder(Path dataRoot, String trainSplit) {
        return new Builder(dataRoot, trainSplit);
    }

    /** Builder of {@link TrainOptions}. */
    public static final class Builder {
        private final Path dataRoot;
        private final String trainSplit;
        private String valSplit;
        private ModelConfig model = ModelConfig.published();
        private int epochs = PUBLISHED_EPOCHS;
        private int batch = PUBLISHED_BATCH;
        private StepDecay schedule = StepDecay.published(StepDecay.PUBLISHED_LR);
        private double clip = PUBLISHED_CLIP;
        private long seed = PUBLISHED_SEED;
        private int workers = 1;
        private long maxSteps;
        private Path out = Path.of("checkpoints");
        private Path encoderWeights;
        private Path initWeights;
        private BatchNormMode batchNorm = BatchNormMode.BATCH;
        private boolean augment = true;
        private boolean curriculum = true;
        private int valMaxCases;
        private String select = ValidationResult.PUBLISHED_DICE;
        private int logEvery = 20;
        private double dropPath = PUBLISHED_DROP_PATH;
        private Path resume;

        private Builder(Path dataRoot, String trainSplit) {
            this.dataRoot = dataRoot;
            this.trainSplit = trainSplit;
        }

        public Builder valSplit(String s) {
            valSplit = s;
            return this;
        }

        public Builder backbone(PvtV2Config b) {
            model = model.withBackbone(b);
            return this;
        }

        public Builder size(int s) {
            model = model.withSize(s);
            return this;
        }

        public Builder model(ModelConfig m) {
            model = m;
            return this;
        }

        public Builder epochs(int n) {
            epochs = n;
            return this;
        }

        public Builder batch(int b) {
            batch = b;
            return this;
        }

        public Builder schedule(StepDecay s) {
            schedule = s;
            return this;
        }

        public Builder clip(double c) {
            clip = c;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder workers(int w) {
            workers = w;
            return this;
        }

        public Builder maxSteps(long n) {
            maxSteps = n;
            return this;
        }

        public Builder out(Path p) {
            out = p;
            return this;
        }

        public Builder encoderWeights(Path p) {
            encoderWeights = p;
            return this;
        }

        public Builder initWeights(Path p) {
            initWeights = p;
            return this;
        }

        public Builder batchNorm(BatchNormMode m) {
            batchNorm = m;
            return this;
        }

        public Builder augment(boolean a) {
            augment = a;
            return this;
        }

        public Builder curriculum(boolean c) {
            curriculum = c;
            return this;
        }

        public Builder valMaxCases(int n) {
            valMaxCases = n;
            return this;
        }

        public Builder select(String metric) {
            select = metric;
            return this;
        }

        public Builder logEvery(int n) {
            logEvery = n;
            return this;
        }

        public Builder dropPath(double rate) {
            dropPath = rate;
            return this;
        }

        public Builder resume(Path checkpoint) {
            resume = checkpoint;
            return this;
        }

        public TrainOptions build() {
            return new TrainOptions(
                    dataRoot,
                    trainSplit,
                    valSplit,
                    model,
                    epochs,
                    batch,
                    schedule,
                    clip,
                    seed,
                    workers,
                    maxSteps,
                    out,
                    encoderWeights,
                    initWeights,
                    batchNorm,
                    augment,
                    curriculum,
                    valMaxCases,
                    select,
                    logEvery,
                    dropPath,
                    resume);
        }
    }
}
