package org.salistream.datasets.synth;

/** Cheap approximations for the per-pixel loop (accuracy far below a pixel). */
final class FastMath {

    private FastMath() {}

    /** atan2 with a maximum error of about 1e-5 radians (minimax polynomial on [0, 1]). */
    static double atan2(double y, double x) {
        double ax = Math.abs(x);
        double ay = Math.abs(y);
        double mx = Math.max(ax, ay);
        if (mx == 0) {
            return 0;
        }
        double a = Math.min(ax, ay) / mx;
        double s = a * a;
        double r = ((((-0.0117212 * s + 0.05265332) * s - 0.11643287) * s + 0.19354346) * s - 0.33262347) * s * a
                + 0.99997726 * a;
        if (ay > ax) {
            r = Math.PI / 2 - r;
        }
        if (x < 0) {
            r = Math.PI - r;
        }
        return y < 0 ? -r : r;
    }
}
