package org.salistream.datasets.synth;

/**
 * Bilinear interpolation of four samples {@code c00, c01} (top row) and {@code c10, c11} (bottom row), in
 * the two precisions the renderer uses. The differences are taken in float in both: a change of precision
 * would move pixels of every synthetic frame, whose bits are pinned (see SyntheticRenderingRegressionTest).
 */
final class Interpolation {

    private Interpolation() {}

    /** All in float: the renderer's grid of shaded 2x2 blocks. */
    static float bilinear(float c00, float c01, float c10, float c11, float tx, float ty) {
        float top = c00 + (c01 - c00) * tx;
        float bottom = c10 + (c11 - c10) * tx;
        return top + (bottom - top) * ty;
    }

    /** Float samples, double weights and result: textures and noise lattices. */
    static double bilinear(float c00, float c01, float c10, float c11, double tx, double ty) {
        double top = c00 + (c01 - c00) * tx;
        double bottom = c10 + (c11 - c10) * tx;
        return top + (bottom - top) * ty;
    }
}
