package org.salistream.trainer.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.salistream.trainer.optim.TorchAdam;

/**
 * What {@code --resume} needs beyond the weights, written into {@code <out>/last} after every epoch: the
 * epoch and step reached, the best score so far, the settings that must not change across a resume, and
 * the optimiser's state ({@value #OPTIMIZER}). The other random state needs no saving: augmentation and
 * shuffling are seeded by (seed, epoch, position), the triplet pairing by (seed, epoch of the last reload)
 * and stochastic depth by (seed, step), so a resumed run draws exactly what an uninterrupted one draws.
 *
 * @param epoch the last completed epoch
 * @param step optimiser steps taken
 * @param bestEpoch the epoch in {@code best/}
 * @param bestScore its selection score
 * @param seed the run's seed
 * @param batch the batch size
 * @param model the model configuration ({@code ModelConfig.toString()})
 * @param dropPath the stochastic-depth rate
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResumeState(
        int epoch, long step, int bestEpoch, double bestScore, long seed, int batch, String model, double dropPath) {

    /** The state file. */
    public static final String FILE = "trainer-state.json";
    /** The optimiser state file. */
    public static final String OPTIMIZER = "optimizer.bin";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the state and the optimiser's into {@code dir} (the checkpoint folder). */
    void write(Path dir, TorchAdam adam) throws IOException {
        Path tmp = dir.resolve(OPTIMIZER + ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
                DataOutputStream out = new DataOutputStream(os)) {
            adam.save(out);
        }
        Files.move(tmp, dir.resolve(OPTIMIZER), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        JSON.writeValue(dir.resolve(FILE).toFile(), this);
    }

    /**
     * Reads the state of a checkpoint folder.
     *
     * @throws IOException naming what is missing when the folder was not written by this trainer's epoch end
     */
    static ResumeState read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(dir.resolve(OPTIMIZER))) {
            throw new IOException("--resume " + dir + ": no " + FILE + " and " + OPTIMIZER + " there (give the last/"
                    + " folder of a run of this trainer)");
        }
        try {
            return JSON.readValue(file.toFile(), ResumeState.class);
        } catch (IOException e) {
            throw new IOException("--resume " + dir + ": unreadable " + FILE + ": " + e.getMessage(), e);
        }
    }

    /** Loads the optimiser's state from {@code dir}. */
    static void loadOptimizer(Path dir, TorchAdam adam) throws IOException {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER)));
                DataInputStream in = new DataInputStream(is)) {
            adam.load(in);
        } catch (IOException e) {
            throw new IOException("--resume " + dir + ": " + OPTIMIZER + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that a run with these settings may continue this state.
     *
     * @throws IllegalArgumentException naming the first setting that differs
     */
    void requireCompatible(TrainOptions o) {
        String now = o.model().toString();
        if (seed != o.seed() || batch != o.batch() || !model.equals(now) || dropPath != o.dropPath()) {
            throw new IllegalArgumentException("--resume: the checkpoint was trained with seed " + seed + ", batch "
                    + batch + ", " + model + ", drop path " + dropPath + "; this run asks for seed " + o.seed()
                    + ", batch " + o.batch() + ", " + now + ", drop path " + o.dropPath()
                    + " (a resumed run must keep them)");
        }
        if (epoch >= o.epochs()) {
            throw new IllegalArgumentException("--resume: the checkpoint already completed epoch " + epoch + " of the "
                    + o.epochs() + " asked for (raise --epochs to train on)");
        }
    }
}
