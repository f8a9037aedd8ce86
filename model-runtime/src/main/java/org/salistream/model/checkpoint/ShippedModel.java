package org.salistream.model.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checkpoint that ships with SALI Stream, {@value #FOLDER}: a PVTv2-B0 SALI trained by this project's
 * trainer on synthetic procedures only (its {@link ModelCard} says how, and how well). It is what
 * {@code sali demo}, {@code sali run} and {@code sali segment} run when no {@code --weights} is given; it is
 * for trying the system, not for clinical use.
 *
 * <p>Found under the project's root ({@code -Dsali.home}, which {@code bin/sali} sets), else under the
 * working directory or its parent (a module's folder, where Maven runs the tests).
 */
public final class ShippedModel {

    /** The folder, relative to the project's root. */
    public static final String FOLDER = "models/sali-b0-synthetic";
    /** Its name, as commands print it. */
    public static final String NAME = "sali-b0-synthetic";
    /** The system property naming the project's root. */
    public static final String HOME_PROPERTY = "sali.home";
    /** The {@code --weights} value that asks for untrained (random) weights. */
    public static final String UNTRAINED = "untrained";

    private ShippedModel() {}

    /** The shipped checkpoint's folder, where it is present. */
    public static Optional<Path> locate() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home).resolve(FOLDER);
            if (NativeCheckpoint.isNative(p)) {
                return Optional.of(p);
            }
        }
        for (Path p : new Path[] {Path.of(FOLDER), Path.of("..").resolve(FOLDER)}) { // the root, or a module of it
            if (NativeCheckpoint.isNative(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether a {@code --weights} value asks for untrained weights. */
    public static boolean isUntrained(Path weights) {
        return weights != null && weights.toString().equals(UNTRAINED) && !Files.exists(weights);
    }

    /**
     * The weights to run: {@code weights} when given (null for the literal {@value #UNTRAINED}), else the
     * shipped checkpoint.
     *
     * @throws IllegalArgumentException when none is given and the shipped checkpoint is not there
     */
    public static Path resolve(Path weights) {
        if (weights != null) {
            return isUntrained(weights) ? null : weights;
        }
        return locate().orElseThrow(() -> new IllegalArgumentException("no --weights given and the shipped model "
                + FOLDER + " is not here (run from the project's root, or give --weights FILE, or --weights "
                + UNTRAINED + " for random weights)"));
    }

    /** How a command names the weights it runs, for its first line of output. */
    public static String describe(Path resolved) {
        if (resolved == null) {
            return "UNTRAINED weights (--weights " + UNTRAINED + "): random, the masks mean nothing";
        }
        Optional<Path> shipped = locate();
        if (shipped.isPresent() && sameFolder(shipped.get(), resolved)) {
            return "the shipped model " + NAME + " (" + FOLDER + "; trained on synthetic procedures only, NOT for"
                    + " clinical use)";
        }
        return "weights " + resolved;
    }

    private static boolean sameFolder(Path a, Path b) {
        return NativeCheckpoint.folder(a)
                .toAbsolutePath()
                .normalize()
                .equals(NativeCheckpoint.folder(b).toAbsolutePath().normalize());
    }
}
