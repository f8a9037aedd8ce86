package org.salistream.live.testing;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.salistream.model.checkpoint.NativeCheckpoint;

/**
 * A trained SALI checkpoint for tests whose assertions need masks that follow the polyp: the folder named by
 * {@code -Dsali.test.weights} (or {@code $SALI_TEST_WEIGHTS}), else the model shipped with the project ({@code models/sali-b0-synthetic}
 * under the project's root, which is the parent of a module's folder where Maven runs the tests). Without
 * one, such a test is skipped, saying so; untrained weights would make it meaningless.
 */
public final class TrainedWeights {

    /** The shipped model's folder, relative to the project's root. */
    public static final String SHIPPED = "models/sali-b0-synthetic";

    private TrainedWeights() {}

    /** The checkpoint, where one is found. */
    public static Optional<Path> find() {
        String given = System.getProperty("sali.test.weights", System.getenv("SALI_TEST_WEIGHTS"));
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given));
        }
        for (Path p : new Path[] {Path.of(SHIPPED), Path.of("..").resolve(SHIPPED)}) {
            if (NativeCheckpoint.isNative(p)) {
                return Optional.of(p.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    /** The checkpoint, or a skip naming where one is looked for. */
    public static Path require() {
        Optional<Path> w = find();
        Assumptions.assumeTrue(
                w.isPresent(),
                "no trained checkpoint: neither -Dsali.test.weights nor " + SHIPPED + " (the shipped model): skipped");
        return w.get();
    }
}
