package org.salistream.datasets.synth;

/**
 * The endoscope's image geometry for one frame size: the octagonal field of view of a video colonoscope
 * (a rectangle with cut corners, black outside), a soft edge, vignetting, and the per-pixel direction of
 * an equidistant fisheye (angle from the axis proportional to the distance from the image centre).
 */
final class FieldOfView {

    private static final int ANGLE_STEPS = 4096;
    private static final double MAX_ANGLE = 1.7;

    final int width;
    final int height;
    /** Unit vector from the image centre toward the pixel, and the pixel's distance from the centre. */
    private final float[] ux;

    private final float[] uy;
    private final float[] radius;
    /** Coverage of the field of view (0 outside, 1 inside, between on the edge) times vignetting. */
    final float[] weight;

    private final boolean[] inside;
    private static final double[] SIN = new double[ANGLE_STEPS + 2];
    private static final double[] COS = new double[ANGLE_STEPS + 2];

    static {
        for (int i = 0; i < SIN.length; i++) {
            double a = MAX_ANGLE * i / ANGLE_STEPS;
            SIN[i] = Math.sin(a);
            COS[i] = Math.cos(a);
        }
    }

    FieldOfView(int width, int height) {
        this.width = width;
        this.height = height;
        int n = width * height;
        ux = new float[n];
        uy = new float[n];
        radius = new float[n];
        weight = new float[n];
        inside = new boolean[n];
        double hw = width / 2.0;
        double hh = height / 2.0;
        double halfDiag = Math.sqrt(hw * hw + hh * hh);
        double edgeX = hw * 0.985;
        double edgeY = hh * 0.985;
        double cut = 0.74 * (edgeX + edgeY); // the octagon's diagonal edges: |x| + |y| <= cut
        double soft = Math.max(0.8, width / 300.0);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                double dx = x + 0.5 - hw;
                double dy = y + 0.5 - hh;
                double r = Math.sqrt(dx * dx + dy * dy);
                ux[p] = (float) (r > 0 ? dx / r : 0);
                uy[p] = (float) (r > 0 ? dy / r : 0);
                radius[p] = (float) r;
                double ax = Math.abs(dx);
                double ay = Math.abs(dy);
                // Signed distance (pixels, positive inside) to the octagon's nearest edge.
                double sd = Math.min(Math.min(edgeX - ax, edgeY - ay), (cut - ax - ay) / Math.sqrt(2));
                inside[p] = sd >= 0;
                double cover = Math.max(0, Math.min(1, 0.5 + sd / soft));
                double rr = r / halfDiag;
                double vignette = 1 - 0.28 * rr * rr;
                weight[p] = (float) (cover * vignette);
            }
        }
    }

    /** True when the pixel's centre is inside the field of view (where the mask may be set). */
    boolean inside(int p) {
        return inside[p];
    }

    /** The world direction (unit) of pixel p for the camera, into out[0..2]. */
    void direction(int p, CameraPose cam, double[] out) {
        toWorld(radius[p], ux[p], uy[p], cam, out);
    }

    /** The world direction (unit) through image point (px, py) (pixel corners at integers). */
    void directionAt(double px, double py, CameraPose cam, double[] out) {
        double dx = px - width / 2.0;
        double dy = py - height / 2.0;
        double r = Math.sqrt(dx * dx + dy * dy);
        toWorld(r, r > 0 ? dx / r : 0, r > 0 ? dy / r : 0, cam, out);
    }

    private static void toWorld(double rad, double ux, double uy, CameraPose cam, double[] out) {
        double angle = rad * cam.radiansPerPixel();
        double f = angle * (ANGLE_STEPS / MAX_ANGLE);
        int i = (int) f;
        double t = f - i;
        if (i >= ANGLE_STEPS) {
            i = ANGLE_STEPS;
            t = 0;
        }
        double s = SIN[i] + (SIN[i + 1] - SIN[i]) * t;
        double c = COS[i] + (COS[i + 1] - COS[i]) * t;
        double a = s * ux;
        double b = s * uy;
        Vec3 r = cam.right();
        Vec3 d = cam.down();
        Vec3 fw = cam.forward();
        double x = r.x() * a + d.x() * b + fw.x() * c;
        double y = r.y() * a + d.y() * b + fw.y() * c;
        double z = r.z() * a + d.z() * b + fw.z() * c;
        double l = Math.sqrt(x * x + y * y + z * z);
        out[0] = x / l;
        out[1] = y / l;
        out[2] = z / l;
    }
}
