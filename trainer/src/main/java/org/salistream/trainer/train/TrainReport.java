package org.salistream.trainer.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training run did.
 *
 * @param steps optimiser steps taken
 * @param epochs epochs run (the last one possibly cut short by the step limit)
 * @param epochLosses the mean training loss of each epoch
 * @param validations the validation of each epoch, where there was a validation split
 * @param bestEpoch the epoch whose weights are in {@code best}
 * @param bestScore the selection score of that epoch (validation metric, or minus the training loss)
 * @param best the best checkpoint folder
 * @param last the last checkpoint folder
 * @param stepsPerSecond training throughput, validation and checkpointing excluded
 */
public record TrainReport(
        long steps,
        int epochs,
        List<Double> epochLosses,
        List<ValidationResult> validations,
        int bestEpoch,
        double bestScore,
        Path best,
        Path last,
        double stepsPerSecond) {

    /** Defensive copies. */
    public TrainReport {
        epochLosses = List.copyOf(epochLosses);
        validations = List.copyOf(validations);
    }
}
