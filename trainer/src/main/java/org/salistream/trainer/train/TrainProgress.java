package org.salistream.trainer.train;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress of a training run: epoch, step, loss, images/s and time left. With a status line (a terminal) every
 * step rewrites it; otherwise a line goes to the log at most every {@code every} steps and at least every 30
 * seconds. The throughput counts training steps only (validation and checkpoints excluded), so the time left
 * is training time.
 */
final class TrainProgress {

    private static final long MIN_INTERVAL_NS = 30_000_000_000L;

    private final Consumer<String> out;
    private final Consumer<String> status;
    private final int every;
    private final long totalSteps;
    private final int batch;
    private long steps;
    private long timedSteps;
    private double trainSeconds;
    private long lastLine = System.nanoTime();
    private long sinceLine;

    /**
     * @param status the in-place status line, or null for log lines
     * @param stepsDone steps taken before (a resumed run)
     */
    TrainProgress(
            Consumer<String> out, Consumer<String> status, int every, long totalSteps, long stepsDone, int batch) {
        this.out = out;
        this.status = status;
        this.every = every;
        this.totalSteps = totalSteps;
        this.steps = stepsDone;
        this.batch = batch;
    }

    /** Training throughput of this process so far. */
    double stepsPerSecond() {
        return trainSeconds > 0 ? timedSteps / trainSeconds : 0;
    }

    /** Records a step and prints a line when one is due (always for the first step of an epoch and the last). */
    void step(
            int epoch,
            int epochs,
            int batchIndex,
            int batches,
            float loss,
            double epochMean,
            double lr,
            double seconds) {
        steps++;
        timedSteps++;
        sinceLine++;
        trainSeconds += seconds;
        long now = System.nanoTime();
        boolean due =
                batchIndex == 1 || batchIndex == batches || sinceLine >= every || now - lastLine >= MIN_INTERVAL_NS;
        if (status == null && !due) {
            return;
        }
        double rate = stepsPerSecond();
        long left = Math.max(0, totalSteps - steps);
        String line = String.format(
                Locale.ROOT,
                "epoch %d/%d step %d/%d (total %d/%d) loss %.4f (epoch mean %.4f) lr %.2e %.3f steps/s %.2f img/s ETA %s",
                epoch,
                epochs,
                batchIndex,
                batches,
                steps,
                totalSteps,
                loss,
                epochMean,
                lr,
                rate,
                rate * batch,
                rate > 0 ? duration(left / rate) : "?");
        if (status != null) {
            status.accept(line);
            return;
        }
        sinceLine = 0;
        lastLine = now;
        out.accept(line);
    }

    /** A duration as 1h02m, 3m05s or 12s. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
