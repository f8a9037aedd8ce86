package org.salistream.trainer.train;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.model.image.Preprocessor;

/**
 * What a training run writes down about each epoch: the provenance stored with its checkpoints, its row of the
 * training curves, the resume state and the progress lines of validation and of the epoch's end. Separate from
 * {@link SaliTrainer} so that the trainer keeps the published loop (forward, loss, step, validate, save) and the
 * record of a run, which users and the pipeline read, is defined in one place.
 */
final class EpochRecords {

    private final TrainOptions options;
    private final String init;
    private final boolean validated;

    /**
     * @param init how the network was initialised, as the checkpoints' provenance says it
     * @param validated whether the run validates after each epoch (else the training loss selects the best)
     */
    EpochRecords(TrainOptions options, String init, boolean validated) {
        this.options = options;
        this.init = init;
        this.validated = validated;
    }

    /** The metric that selects the best checkpoint. */
    String selectedBy() {
        return validated ? "validation " + options.select() : "train_loss";
    }

    /** The provenance stored with the epoch's checkpoints. */
    Map<String, Object> provenance(int epoch, long step, double lr, double meanLoss, ValidationResult val) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("source", "sali train (SALI Stream trainer)");
        p.put("created", Instant.now().toString());
        p.put("data_root", options.dataRoot().toAbsolutePath().toString());
        p.put("train_split", options.trainSplit());
        p.put("val_split", options.valSplit());
        p.put("backbone_init", init);
        p.put("epoch", epoch);
        p.put("epochs_planned", options.epochs());
        p.put("step", step);
        p.put("lr", lr);
        p.put(
                "schedule",
                String.format(
                        Locale.ROOT,
                        "lr %.3g * %.3g^(epoch // %d)",
                        options.schedule().initialLr(),
                        options.schedule().decayRate(),
                        options.schedule().decayEpoch()));
        p.put("optimizer", "Adam(betas=(0.9, 0.999), eps=1e-8), gradients clamped to +-" + options.clip());
        p.put("batch", options.batch());
        p.put("size", options.model().size());
        p.put("seed", options.seed());
        p.put("drop_path", options.dropPath());
        p.put("batch_norm", options.batchNorm().optionName());
        p.put("augment", options.augment());
        p.put("max_skip_curriculum", options.curriculum());
        p.put("train_loss", meanLoss);
        p.put("selected_by", selectedBy());
        if (val != null) {
            p.put("validation", val.asMap());
        }
        p.put(
                "input_normalisation",
                "Pillow bilinear resize, x/255, ImageNet mean/std (" + Preprocessor.class.getSimpleName() + ")");
        return p;
    }

    /** The epoch's row of the training curves; the validation columns are NaN without validation. */
    static TrainingCurves.Row row(
            int epoch, long step, double lr, double loss, ValidationResult v, double seconds, double stepsPerSecond) {
        double nan = Double.NaN;
        return new TrainingCurves.Row(
                epoch,
                step,
                lr,
                loss,
                v == null ? nan : v.dice(),
                v == null ? nan : v.mae(),
                v == null ? nan : v.toolbox().value(VpsMetric.SMEASURE),
                v == null ? nan : v.toolbox().value(VpsMetric.MEAN_DICE),
                v == null ? nan : v.toolbox().value(VpsMetric.MAX_DICE),
                v == null ? nan : v.toolbox().value(VpsMetric.MEAN_IOU),
                seconds,
                stepsPerSecond);
    }

    /** The state a later {@code --resume} of this run continues from. */
    ResumeState resumeState(int epoch, long step, int bestEpoch, double bestScore) {
        return new ResumeState(
                epoch,
                step,
                bestEpoch,
                bestScore,
                options.seed(),
                options.batch(),
                options.model().toString(),
                options.dropPath());
    }

    /** The progress line of an epoch's validation. */
    static String validationLine(int epoch, ValidationResult val) {
        return String.format(
                Locale.ROOT,
                "validation: epoch %d: Dice %.4f, Dice on cases %.4f, MAE %.4f, toolbox %s (%d frames, %.0f s)",
                epoch,
                val.dice(),
                val.diceOnCases(),
                val.mae(),
                val.toolbox().values(),
                val.frames(),
                val.seconds());
    }

    /** The progress line at an epoch's end: its mean loss and the checkpoints it saved. */
    String epochDoneLine(int epoch, double mean, Path lastDir, Path bestDir, int bestEpoch, double bestScore) {
        return String.format(
                Locale.ROOT,
                "epoch %d done: mean loss %.4f; saved %s%s",
                epoch,
                mean,
                lastDir,
                bestEpoch == epoch
                        ? " and " + bestDir + " (best " + selectedBy() + " "
                                + String.format(Locale.ROOT, "%.4f", validated ? bestScore : -bestScore)
                                + ")"
                        : " (best stays epoch " + bestEpoch + ")");
    }
}
