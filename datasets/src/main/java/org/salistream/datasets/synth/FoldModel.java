package org.salistream.datasets.synth;

import java.util.SplittableRandom;

/**
 * Haustral folds: ridges running around the colon, spaced about one tube radius apart, whose height
 * {@code h(z, theta)} narrows the tube to {@code 1 - h}. A ridge's axial position wobbles with the angle
 * (three-fold, like the transverse colon's triangular lumen) and its height varies around the wall and
 * from fold to fold. Returns the height and its derivatives, from which the renderer takes the wall
 * position and normal. Tables replace per-pixel trigonometry.
 */
final class FoldModel {

    private static final int ANGLE_STEPS = 2048;
    private static final int PROFILE_STEPS = 1024;
    private static final double SIGMA = 0.2;

    final double period;
    private final double minRadiusSquared;
    private final double amplitude;
    private final double[] foldScale = new double[64];
    // Per angle: axial wobble and its derivative, height modulation and its derivative.
    private final double[] wobble = new double[ANGLE_STEPS + 1];
    private final double[] wobbleD = new double[ANGLE_STEPS + 1];
    private final double[] mod = new double[ANGLE_STEPS + 1];
    private final double[] modD = new double[ANGLE_STEPS + 1];
    private final double[] profile = new double[PROFILE_STEPS + 1];
    private final double[] profileD = new double[PROFILE_STEPS + 1];

    FoldModel(SplittableRandom rnd) {
        period = 0.95 + 0.4 * rnd.nextDouble();
        amplitude = 0.13 + 0.09 * rnd.nextDouble();
        for (int i = 0; i < foldScale.length; i++) {
            foldScale[i] = 0.55 + 0.45 * rnd.nextDouble();
        }
        double maxScale = 0;
        for (double f : foldScale) {
            maxScale = Math.max(maxScale, f);
        }
        double narrowest = 1 - amplitude * maxScale * 1.0001;
        minRadiusSquared = narrowest * narrowest;
        double a3 = 0.10 + 0.12 * rnd.nextDouble();
        double p3 = rnd.nextDouble() * 2 * Math.PI;
        double a1 = 0.15 * rnd.nextDouble();
        double p1 = rnd.nextDouble() * 2 * Math.PI;
        double pm = rnd.nextDouble() * 2 * Math.PI;
        for (int i = 0; i <= ANGLE_STEPS; i++) {
            double th = 2 * Math.PI * i / ANGLE_STEPS;
            wobble[i] = a3 * Math.sin(3 * th + p3) + a1 * Math.sin(th + p1);
            wobbleD[i] = 3 * a3 * Math.cos(3 * th + p3) + a1 * Math.cos(th + p1);
            mod[i] = 0.7 + 0.3 * Math.sin(3 * th + pm);
            modD[i] = 0.9 * Math.cos(3 * th + pm);
        }
        for (int i = 0; i <= PROFILE_STEPS; i++) {
            double f = (double) i / PROFILE_STEPS;
            double x = (f - 0.5) / SIGMA;
            double g = Math.exp(-x * x);
            profile[i] = g;
            profileD[i] = -2 * x / SIGMA * g;
        }
    }

    /**
     * Fold height and derivatives at (z, theta) into {@code out}: {@code [h, dh/dz, dh/dtheta]}.
     * {@code theta} in [-pi, pi].
     */
    void eval(double z, double theta, double[] out) {
        double ta = theta < 0 ? theta + 2 * Math.PI : theta;
        int ai = (int) (ta * (ANGLE_STEPS / (2 * Math.PI)));
        if (ai > ANGLE_STEPS) {
            ai = ANGLE_STEPS;
        }
        double s = (z + wobble[ai]) / period;
        double k = Math.floor(s);
        double f = s - k;
        int pi = (int) (f * PROFILE_STEPS);
        double scale = amplitude * foldScale[(int) k & (foldScale.length - 1)];
        double m = mod[ai];
        double g = profile[pi];
        double gd = profileD[pi] / period;
        out[0] = scale * m * g;
        out[1] = scale * m * gd;
        out[2] = scale * (modD[ai] * g + m * gd * wobbleD[ai]);
    }

    /** Square of the smallest wall radius, {@code (1 - max h)^2}. */
    double minRadiusSquared() {
        return minRadiusSquared;
    }

    /** Height only. */
    double height(double z, double theta) {
        double[] o = new double[4];
        eval(z, theta, o);
        return o[0];
    }

    /** A position near z, between two folds at this angle (where polyps sit). */
    double valleyNear(double z, double theta) {
        double ta = theta < 0 ? theta + 2 * Math.PI : theta;
        int ai = Math.min(ANGLE_STEPS, (int) (ta * (ANGLE_STEPS / (2 * Math.PI))));
        double s = (z + wobble[ai]) / period;
        return Math.round(s) * period - wobble[ai];
    }
}
