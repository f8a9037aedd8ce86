package org.salistream.datasets.synth;

import java.util.Objects;

/**
 * Realistic synthetic colonoscopy procedures with exact polyp masks, made on the spot (SUN-SEG itself
 * cannot be redistributed). Each case is a ray-cast colon (haustral folds, mucosa with vessels, wet glints,
 * the endoscope's light falloff, octagonal field and vignetting) with 0-3 sessile or pedunculated polyps,
 * an endoscope path that approaches, turns, rolls and zooms, and the low-quality segments SALI's paper
 * describes (motion blur, defocus, over-exposure, bubbles/fluid over the polyp, the polyp leaving and
 * re-entering the view).
 *
 * <p>Deterministic: the same options and seed give the same pixels. Case {@code n} depends only on the
 * seed and {@code n}, so cases can be made independently.
 */
public final class SyntheticProcedureGenerator {

    private final SynthOptions options;
    private final long seed;

    public SyntheticProcedureGenerator(SynthOptions options, long seed) {
        this.options = Objects.requireNonNull(options, "options");
        this.seed = seed;
    }

    public SynthOptions options() {
        return options;
    }

    public long seed() {
        return seed;
    }

    /** Case number {@code n} (1-based), planned now (its textures take a few tens of milliseconds). */
    public SyntheticCase generateCase(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("case numbers start at 1, got " + n);
        }
        long caseSeed = ImageEffects.mix(seed ^ ImageEffects.mix(0x632BE59BD9B4E019L + n));
        return new SyntheticCase(options, n, caseSeed);
    }
}
