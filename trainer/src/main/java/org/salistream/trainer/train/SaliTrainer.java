package org.salistream.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.checkpoint.TorchInitializer;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.pvt.StochasticDepth;
import org.salistream.model.sali.SaliNetwork;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.trainer.data.BatchLoader;
import org.salistream.trainer.data.TrainBatch;
import org.salistream.trainer.data.TripletAugmenter;
import org.salistream.trainer.data.TripletDataset;
import org.salistream.trainer.loss.StructureLoss;
import org.salistream.trainer.optim.TorchAdam;
import org.salistream.trainer.step.SaliTrainStep;

/**
 * Trains SALI as the published {@code train_video.py} does: per epoch, the learning rate of the step decay,
 * the triplets in a shuffled order, for each batch the training-mode forward ({@link SaliTrainStep}), the sum
 * of the four structure losses, backward, gradient clipping and an Adam step; after each epoch, the published
 * validation ({@link Validator}) and checkpoints: {@code <out>/last} after every epoch and {@code <out>/best}
 * when the selection metric improves, both native checkpoints ({@link NativeCheckpoint}) with the run's
 * provenance ({@link EpochRecords}), which {@code SaliModelLoader.open} and the pipeline load.
 *
 * <p>The network starts from PyTorch-like initialisation ({@link TorchInitializer}), then the pretrained
 * encoder when given, or a full checkpoint to fine-tune.
 */
public final class SaliTrainer implements AutoCloseable {

    private final TrainOptions options;
    private final Consumer<String> progress;
    private final Consumer<String> status;
    private final NDManager manager;
    private final SaliNetwork network;
    private final ParameterStore store;
    private final SaliTrainStep step;
    private final TorchAdam adam;
    private final TripletDataset dataset;
    private final Validator validator;
    private final String init;
    private final StochasticDepth depth = new StochasticDepth();
    private final ResumeState resumed;

    /**
     * Builds the network and opens the data.
     *
     * @throws IOException when a split, an image list or a weights file cannot be read
     * @throws IllegalArgumentException when the data is not a SUN-SEG layout the trainer can use
     */
    public SaliTrainer(TrainOptions options, Consumer<String> progress) throws IOException {
        this(options, progress, null);
    }

    /**
     * Builds the network and opens the data; the progress of every step goes to {@code status} (a terminal
     * line rewritten in place), other news to {@code progress}.
     *
     * @param status null to print a progress line every {@code logEvery} steps to {@code progress} instead
     */
    public SaliTrainer(TrainOptions options, Consumer<String> progress, Consumer<String> status) throws IOException {
        this.options = options;
        this.progress = progress;
        this.status = status;
        ModelConfig config = options.model();
        TripletAugmenter augmenter =
                new TripletAugmenter(config.size(), config.mean(), config.std(), options.augment());
        int firstSkip = options.curriculum() ? TripletDataset.publishedMaxSkip(1) : TripletDataset.PUBLISHED_MAX_SKIP;
        this.dataset =
                TripletDataset.open(options.dataRoot(), options.trainSplit(), augmenter, firstSkip, options.seed());
        this.validator = options.valSplit() == null
                ? null
                : new Validator(
                        options.dataRoot(), options.valSplit(), options.valMaxCases(), Validator.DEFAULT_METRICS);
        if (validator != null) {
            checkSelectable(options.select());
        }
        // Read before any native memory is held, said after the start line.
        int polypFreeValidationCases =
                validator == null ? 0 : validator.casesWithoutPolyp().size();
        this.manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice());
        try {
            this.network = SaliModelLoader.newNetwork(config, manager, options.seed());
            this.init = loadInitialWeights(config);
            options.batchNorm().apply(network);
            this.store = new ParameterStore(manager, false);
            this.step = new SaliTrainStep(network, config.topK());
            this.adam = new TorchAdam(ParameterPaths.of(network), manager);
            network.backbone().featNet().encoder().setDropPath(options.dropPath(), depth);
            this.resumed = options.resume() == null ? null : resume(options.resume());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        progress.accept(String.format(
                Locale.ROOT,
                "%s, %d triplets in %d cases of %s%s; network %s,"
                        + " init %s, BatchNorm %s, %d trainable tensors on %s",
                options.trainSplit(),
                dataset.size(),
                dataset.cases().size(),
                options.dataRoot(),
                validator == null
                        ? ""
                        : "; validation on " + validator.cases().size() + " cases of " + options.valSplit(),
                config,
                init,
                options.batchNorm().optionName(),
                adam.parameters().size(),
                manager.getDevice()));
        warnAboutPolypFreeValidation(polypFreeValidationCases);
    }

    /** Restores the optimiser, the step and the triplet pairing of the epoch after the checkpoint's. */
    private ResumeState resume(Path dir) throws IOException {
        ResumeState state = ResumeState.read(dir);
        state.requireCompatible(options);
        ResumeState.loadOptimizer(dir, adam);
        if (adam.steps() != state.step()) {
            throw new IOException("--resume " + dir + ": the optimiser state is at step " + adam.steps() + " but "
                    + ResumeState.FILE + " says " + state.step());
        }
        // The pairing in force at the next epoch: drawn at the last curriculum reload up to it, if any.
        int next = state.epoch() + 1;
        for (int e = next; options.curriculum() && e > 1; e--) {
            if ((e - 1) % 5 == 0) {
                dataset.pair(TripletDataset.publishedMaxSkip(e), BatchLoader.mix(options.seed(), -e));
                break;
            }
        }
        return state;
    }

    private static void checkSelectable(String metric) {
        if (!metric.equalsIgnoreCase(ValidationResult.PUBLISHED_DICE) && !metric.equalsIgnoreCase("mae")) {
            VpsMetric m = VpsMetric.byName(metric);
            if (!Validator.DEFAULT_METRICS.contains(m)) {
                throw new IllegalArgumentException("--select " + metric + " is not computed during validation;"
                        + " choose dice, mae or one of "
                        + Validator.DEFAULT_METRICS.stream()
                                .map(VpsMetric::toolboxName)
                                .toList());
            }
        }
    }

    private String loadInitialWeights(ModelConfig config) throws IOException {
        Path enc = options.encoderWeights();
        Path full = options.resume() != null ? options.resume() : options.initWeights();
        if (enc != null) {
            SaliModelLoader.loadEncoder(enc, network);
            return "encoder " + enc;
        }
        if (full != null) {
            if (NativeCheckpoint.isNative(full)) {
                NativeCheckpoint.load(NativeCheckpoint.folder(full), network, config, manager);
                // DJL's loadParameters replaces the arrays: make the new ones trainable again.
                for (Parameter p : ParameterPaths.of(network).values()) {
                    if (p.requiresGradient()) {
                        p.getArray().setRequiresGradient(true);
                    }
                }
            } else {
                SaliModelLoader.loadPth(full, network, config);
            }
            return (options.resume() != null ? "resumed from " : "checkpoint ") + full;
        }
        return "scratch (PyTorch-style initialisation, seed " + options.seed() + ")";
    }

    /** The network being trained. */
    public SaliNetwork network() {
        return network;
    }

    /** The training triplets. */
    public TripletDataset dataset() {
        return dataset;
    }

    /**
     * One optimiser step on a batch: forward, structure loss, backward, clip, Adam.
     *
     * @return the loss before the step
     * @throws IllegalStateException when the loss is not finite (training diverged)
     */
    public float trainStep(TrainBatch batch, double lr) {
        float loss;
        // The scope closes every tensor of the step, also those that land in the parameters' manager (the
        // deformable convolution's output follows its weight's manager) rather than in m.
        try (NDScope scope = new NDScope();
                NDManager m = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            depth.reseed(BatchLoader.mix(options.seed() ^ DROP_PATH_STREAM, adam.steps() + 1));
            NDArray[] in = inputs(m, batch); // kept alive in m until after backward
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList preds = step.forward(store, in[0], in[1], in[2], in[3], true);
                NDArray total = StructureLoss.total(preds, in[4]).get(0);
                gc.backward(total);
                loss = total.getFloat();
            }
            if (!Float.isFinite(loss)) {
                adam.zeroGradients();
                throw new IllegalStateException("the training loss is " + loss + " at step " + (adam.steps() + 1)
                        + ": training diverged (try a lower --lr)");
            }
            adam.step(lr, options.clip());
        }
        return loss;
    }

    /** Separates the stochastic-depth draws from the other uses of the seed. */
    private static final long DROP_PATH_STREAM = 0x5D1A_D7A7_4B1C_0C3BL;

    /** The loss on a batch without training (training-mode forward, no gradient, no update). */
    public float loss(TrainBatch batch) {
        try (NDScope scope = new NDScope();
                NDManager m = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray[] in = inputs(m, batch);
            NDList preds = step.forward(store, in[0], in[1], in[2], in[3], true);
            return StructureLoss.total(preds, in[4]).get(0).getFloat();
        }
    }

    private static NDArray[] inputs(NDManager m, TrainBatch b) {
        Shape img = new Shape(b.batch(), 3, b.size(), b.size());
        Shape msk = new Shape(b.batch(), 1, b.size(), b.size());
        return new NDArray[] {
            m.create(b.memory(), img),
            m.create(b.current(), img),
            m.create(b.neighbour(), img),
            m.create(b.gtMemory(), msk),
            m.create(b.gt(), msk)
        };
    }

    /** Runs every epoch (or up to the step limit), validating and saving after each. */
    public TrainReport run() throws Exception {
        ModelConfig config = options.model();
        int batches = (dataset.size() + options.batch() - 1) / options.batch();
        long total = (long) batches * options.epochs();
        if (options.maxSteps() > 0) {
            total = Math.min(total, options.maxSteps());
        }
        TrainProgress lines =
                new TrainProgress(progress, status, options.logEvery(), total, adam.steps(), options.batch());
        Path bestDir = options.out().resolve("best");
        Path lastDir = options.out().resolve("last");
        EpochRecords records = new EpochRecords(options, init, validator != null);
        List<Double> losses = new ArrayList<>();
        List<ValidationResult> validations = new ArrayList<>();
        double bestScore = resumed == null ? Double.NEGATIVE_INFINITY : resumed.bestScore();
        int bestEpoch = resumed == null ? 0 : resumed.bestEpoch();
        int epoch = resumed == null ? 0 : resumed.epoch();
        TrainingCurves curves = TrainingCurves.read(options.out(), epoch);
        boolean stop = options.maxSteps() > 0 && adam.steps() >= options.maxSteps();
        while (!stop && epoch < options.epochs()) {
            epoch++;
            long epochStart = System.nanoTime();
            double trainSeconds = 0;
            double lr = options.schedule().lr(epoch);
            if (options.curriculum() && epoch > 1 && (epoch - 1) % 5 == 0) {
                int skip = TripletDataset.publishedMaxSkip(epoch);
                dataset.pair(skip, BatchLoader.mix(options.seed(), -epoch));
                progress.accept("epoch " + epoch + ": triplets drawn anew with max_skip " + skip);
            }
            double sum = 0;
            int n = 0;
            try (BatchLoader loader =
                    new BatchLoader(dataset, options.batch(), options.seed(), epoch, options.workers())) {
                int index = 0;
                while (loader.hasNext()) {
                    TrainBatch batch = loader.next();
                    long t0 = System.nanoTime();
                    float loss = trainStep(batch, lr);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    trainSeconds += seconds;
                    sum += loss;
                    n++;
                    index++;
                    lines.step(epoch, options.epochs(), index, loader.batches(), loss, sum / n, lr, seconds);
                    if (options.maxSteps() > 0 && adam.steps() >= options.maxSteps()) {
                        progress.accept("reached the step limit (" + options.maxSteps() + ")");
                        stop = true;
                        break;
                    }
                }
            }
            double mean = sum / n;
            losses.add(mean);
            double score = -mean;
            ValidationResult val = null;
            if (validator != null) {
                try (ScopedStages stages = new ScopedStages(new DjlSaliStages(config, network, manager, false))) {
                    val = validator.run(stages, progress);
                }
                validations.add(val);
                score = val.score(options.select());
                progress.accept(EpochRecords.validationLine(epoch, val));
            }
            Map<String, Object> prov = records.provenance(epoch, adam.steps(), lr, mean, val);
            NativeCheckpoint.write(lastDir, network, config, prov);
            if (score > bestScore) {
                bestScore = score;
                bestEpoch = epoch;
                NativeCheckpoint.write(bestDir, network, config, prov);
            }
            records.resumeState(epoch, adam.steps(), bestEpoch, bestScore).write(lastDir, adam);
            double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
            curves.add(EpochRecords.row(epoch, adam.steps(), lr, mean, val, epochSeconds, n / trainSeconds));
            curves.write(options.out());
            progress.accept(records.epochDoneLine(epoch, mean, lastDir, bestDir, bestEpoch, bestScore));
        }
        return new TrainReport(
                adam.steps(),
                epoch,
                losses,
                validations,
                bestEpoch,
                bestScore,
                bestDir,
                lastDir,
                lines.stepsPerSecond());
    }

    /** Arrays held by the trainer's long-lived manager (parameters, gradients' owners, optimiser state). */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        adam.close();
        manager.close();
    }

    /** Says how many validation cases cannot move the published Dice (see Validator.casesWithoutPolyp). */
    private void warnAboutPolypFreeValidation(int empty) {
        if (empty > 0) {
            progress.accept(String.format(
                    Locale.ROOT,
                    "validation: %d of %d cases show no polyp in any frame and score Dice 0 whatever the prediction;"
                            + " a Dice selection rests on the other %d%s",
                    empty,
                    validator.cases().size(),
                    validator.cases().size() - empty,
                    empty == validator.cases().size() ? " (none: give more --val-cases or --select mae)" : ""));
        }
    }
}
