package org.salistream.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import org.salistream.datasets.synth.SunSegWriter;
import org.salistream.datasets.synth.SynthOptions;
import org.salistream.datasets.synth.SyntheticCase;
import org.salistream.datasets.synth.SyntheticProcedureGenerator;

/**
 * A training and a validation split of synthetic colonoscopy cases (datasets' generator) in SUN-SEG layout,
 * for smoke runs and tests of the trainer where SUN-SEG itself is not at hand: {@code <root>/SynthTrain} with
 * N cases and {@code <root>/SynthVal} with {@code max(1, N / 4)} other cases.
 *
 * @param root the dataset root
 * @param train the training split name
 * @param val the validation split name
 */
public record SyntheticSplits(Path root, String train, String val) {

    /** The training split's name. */
    public static final String TRAIN = "SynthTrain";
    /** The validation split's name. */
    public static final String VAL = "SynthVal";

    /**
     * Renders the splits (deterministic for a seed).
     *
     * @param cases training cases N (validation: max(1, N / 4) more)
     * @param frames frames per case, at least 3
     * @param size frame width and height
     */
    public static SyntheticSplits make(Path root, int cases, int frames, int size, long seed, Consumer<String> progress)
            throws IOException {
        if (cases < 1) {
            throw new IllegalArgumentException("--synthetic needs at least 1 case, got " + cases);
        }
        SynthOptions options =
                SynthOptions.builder().size(size, size).frames(frames).build();
        SyntheticProcedureGenerator gen = new SyntheticProcedureGenerator(options, seed);
        int valCases = Math.max(1, cases / 4);
        SunSegWriter train = new SunSegWriter(root.resolve(TRAIN));
        SunSegWriter val = new SunSegWriter(root.resolve(VAL));
        for (int n = 1; n <= cases + valCases; n++) {
            SyntheticCase c = gen.generateCase(n);
            boolean isTrain = n <= cases;
            progress.accept(String.format(
                    Locale.ROOT,
                    "synthetic %s case %s: %d frames at %dx%d",
                    isTrain ? TRAIN : VAL,
                    c.id(),
                    frames,
                    size,
                    size));
            (isTrain ? train : val).write(c, false, line -> {});
        }
        return new SyntheticSplits(root, TRAIN, VAL);
    }
}
