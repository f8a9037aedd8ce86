package org.salistream.datasets.synth;

/**
 * The kinds of low-quality frames SALI (Hu et al., MICCAI 2024, Fig. 1 "Consecutive Low-quality
 * Sequences") is built to withstand; the generator places each requested kind as a segment of
 * consecutive frames, and may overlap segments of different kinds.
 */
public enum Degradation {
    /** Fast endoscope motion: directional blur along the image motion, with colour-channel fringes. */
    MOTION_BLUR,
    /** The lens out of focus: the whole field blurred. */
    DEFOCUS,
    /** The light too strong for a close wall: blown-out, desaturated highlights. */
    OVER_EXPOSURE,
    /** Bubbles and fluid drifting over part of the polyp. */
    BUBBLES,
    /** The polyp leaves the field of view (the endoscope passes it) and comes back. */
    OUT_OF_VIEW
}
