package org.salistream.live.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.salistream.datasets.synth.SunSegWriter;
import org.salistream.datasets.synth.SynthOptions;
import org.salistream.datasets.synth.SyntheticCase;
import org.salistream.datasets.synth.SyntheticProcedureGenerator;

/** Synthetic colonoscopy procedures for the live tests, written in SUN-SEG's layout (with an mp4 when asked). */
public final class Synthetic {

    private Synthetic() {}

    /**
     * Writes case {@code number} of a generator to {@code <split>/Frame|GT/<case>/} (and {@code Video/<case>.mp4}).
     *
     * @return the case written
     */
    public static SyntheticCase write(
            Path split, int number, int frames, int width, int height, long seed, boolean video) throws IOException {
        return write(split, number, frames, width, height, seed, video, 0.12);
    }

    /** As {@link #write(Path, int, int, int, int, long, boolean)}, with polyps at least {@code minPolypSize} of the view. */
    public static SyntheticCase write(
            Path split, int number, int frames, int width, int height, long seed, boolean video, double minPolypSize)
            throws IOException {
        SyntheticCase c = new SyntheticProcedureGenerator(
                        SynthOptions.builder()
                                .size(width, height)
                                .frames(frames)
                                .polyps(1, 1)
                                .polypSize(minPolypSize, Math.max(minPolypSize, 0.38))
                                .build(),
                        seed)
                .generateCase(number);
        new SunSegWriter(split).write(c, video, line -> {});
        return c;
    }
}
