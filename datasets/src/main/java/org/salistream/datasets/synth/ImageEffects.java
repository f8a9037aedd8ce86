package org.salistream.datasets.synth;

import java.util.SplittableRandom;

/**
 * What happens between the scene and the stored frame: auto-exposure, the low-quality effects (bubbles and
 * fluid over the polyp, defocus, motion blur with the colour fringes of a sequential-illumination
 * endoscope, over-exposure with bloom), the field of view's edge and vignetting, tone mapping to sRGB and
 * sensor noise. Works on linear float planes; none of it touches the mask (the polyp is annotated over its
 * full extent in the field of view, bubbles and blur notwithstanding, as SUN-SEG annotates).
 */
final class ImageEffects {

    private static final int TONE_STEPS = 4096;
    private static final double TONE_MAX = 8.0;
    private static final int[] TONE = toneTable();

    private ImageEffects() {}

    /** Multiplies the planes by a gain. */
    static void gain(float[] r, float[] g, float[] b, double k) {
        float f = (float) k;
        for (int i = 0; i < r.length; i++) {
            r[i] *= f;
            g[i] *= f;
            b[i] *= f;
        }
    }

    /** Bright parts bleed into their surroundings (over-exposure). */
    static void bloom(float[] r, float[] g, float[] b, int w, int h, int radius, double strength) {
        float[] glow = new float[r.length];
        for (int i = 0; i < glow.length; i++) {
            double lum = 0.3 * r[i] + 0.59 * g[i] + 0.11 * b[i];
            glow[i] = (float) Math.max(0, lum - 0.8);
        }
        boxBlur(glow, w, h, radius);
        boxBlur(glow, w, h, radius);
        for (int i = 0; i < glow.length; i++) {
            float add = (float) (glow[i] * strength);
            r[i] += add;
            g[i] += add * 0.97f;
            b[i] += add * 0.95f;
        }
    }

    /** Box blur of one plane, separable, edge-clamped, O(1) per pixel. */
    static void boxBlur(float[] a, int w, int h, int radius) {
        if (radius < 1) {
            return;
        }
        float[] tmp = new float[Math.max(w, h)];
        float norm = 1f / (2 * radius + 1);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            float acc = 0;
            for (int k = -radius; k <= radius; k++) {
                acc += a[row + clamp(k, w)];
            }
            for (int x = 0; x < w; x++) {
                tmp[x] = acc * norm;
                acc += a[row + clamp(x + radius + 1, w)] - a[row + clamp(x - radius, w)];
            }
            System.arraycopy(tmp, 0, a, row, w);
        }
        for (int x = 0; x < w; x++) {
            float acc = 0;
            for (int k = -radius; k <= radius; k++) {
                acc += a[clamp(k, h) * w + x];
            }
            for (int y = 0; y < h; y++) {
                tmp[y] = acc * norm;
                acc += a[clamp(y + radius + 1, h) * w + x] - a[clamp(y - radius, h) * w + x];
            }
            for (int y = 0; y < h; y++) {
                a[y * w + x] = tmp[y];
            }
        }
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }

    /** Defocus: three box passes approximate the lens's blur disc. */
    static void defocus(float[] r, float[] g, float[] b, int w, int h, int radius) {
        for (float[] p : new float[][] {r, g, b}) {
            for (int k = 0; k < 3; k++) {
                boxBlur(p, w, h, radius);
            }
        }
    }

    /**
     * Motion blur along (dx, dy) over {@code length} pixels, and the colour fringes of sequential RGB
     * illumination: red and blue fields taken at slightly different moments land shifted along the motion.
     */
    static void motionBlur(
            float[] r, float[] g, float[] b, int w, int h, double dx, double dy, double length, double fringe) {
        int taps = Math.max(2, (int) Math.round(length / 1.5));
        int[] ox = new int[taps];
        int[] oy = new int[taps];
        for (int k = 0; k < taps; k++) {
            double s = (k / (double) (taps - 1) - 0.5) * length;
            ox[k] = (int) Math.round(dx * s);
            oy[k] = (int) Math.round(dy * s);
        }
        int fx = (int) Math.round(dx * fringe);
        int fy = (int) Math.round(dy * fringe);
        float[] r2 = streak(r, w, h, ox, oy, fx, fy);
        float[] g2 = streak(g, w, h, ox, oy, 0, 0);
        float[] b2 = streak(b, w, h, ox, oy, -fx, -fy);
        System.arraycopy(r2, 0, r, 0, r.length);
        System.arraycopy(g2, 0, g, 0, g.length);
        System.arraycopy(b2, 0, b, 0, b.length);
    }

    private static float[] streak(float[] src, int w, int h, int[] ox, int[] oy, int sx, int sy) {
        float[] out = new float[src.length];
        float norm = 1f / ox.length;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int k = 0; k < ox.length; k++) {
                    int xx = clamp(x + ox[k] - sx, w);
                    int yy = clamp(y + oy[k] - sy, h);
                    acc += src[yy * w + xx];
                }
                out[y * w + x] = acc * norm;
            }
        }
        return out;
    }

    /**
     * Bubbles and a film of fluid over a region: translucent discs with a bright rim and a glint, and a
     * yellowish turbid patch, placed from the segment's seed and drifting with the frame.
     */
    static void bubbles(
            float[] r,
            float[] g,
            float[] b,
            int w,
            int h,
            double cx,
            double cy,
            double extent,
            long seed,
            int frame,
            double severity) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double scale = Math.max(w, h);
        // Fluid: a wobbly ellipse over part of the region.
        double fx = cx + (rnd.nextDouble() - 0.5) * extent * 0.8 + frame * 0.4 * (rnd.nextDouble() - 0.5);
        double fy = cy + (rnd.nextDouble() - 0.2) * extent * 0.6;
        double frx = extent * (0.45 + 0.35 * rnd.nextDouble());
        double fry = frx * (0.5 + 0.4 * rnd.nextDouble());
        double phase = rnd.nextDouble() * 6.28;
        double alpha = 0.45 + 0.3 * severity;
        for (int y = Math.max(0, (int) (fy - frx * 1.3)); y < Math.min(h, (int) (fy + frx * 1.3)); y++) {
            for (int x = Math.max(0, (int) (fx - frx * 1.3)); x < Math.min(w, (int) (fx + frx * 1.3)); x++) {
                double ex = (x - fx) / frx;
                double ey = (y - fy) / fry;
                double ang = Math.atan2(ey, ex);
                double rr = Math.sqrt(ex * ex + ey * ey) / (1 + 0.18 * Math.sin(3 * ang + phase + frame * 0.2));
                if (rr < 1) {
                    double a = alpha * Math.min(1, (1 - rr) * 4);
                    int p = y * w + x;
                    double lum = 0.3 * r[p] + 0.59 * g[p] + 0.11 * b[p];
                    r[p] = (float) (r[p] * (1 - a) + a * (0.75 * lum + 0.10));
                    g[p] = (float) (g[p] * (1 - a) + a * (0.62 * lum + 0.08));
                    b[p] = (float) (b[p] * (1 - a) + a * (0.18 * lum + 0.02));
                }
            }
        }
        int count = 4 + rnd.nextInt(8);
        for (int k = 0; k < count; k++) {
            double bx = cx + (rnd.nextDouble() - 0.5) * extent * 1.4 + frame * 0.6 * (rnd.nextDouble() - 0.5);
            double by = cy + (rnd.nextDouble() - 0.5) * extent * 1.2 - frame * 0.3 * rnd.nextDouble();
            double br = scale * (0.015 + 0.05 * rnd.nextDouble() * rnd.nextDouble()) * (0.7 + 0.6 * severity);
            bubble(r, g, b, w, h, bx, by, br);
        }
    }

    private static void bubble(float[] r, float[] g, float[] b, int w, int h, double bx, double by, double br) {
        int x0 = Math.max(0, (int) (bx - br - 2));
        int x1 = Math.min(w - 1, (int) (bx + br + 2));
        int y0 = Math.max(0, (int) (by - br - 2));
        int y1 = Math.min(h - 1, (int) (by + br + 2));
        double gx = bx - br * 0.4;
        double gy = by - br * 0.45;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double d = Math.hypot(x + 0.5 - bx, y + 0.5 - by) / br;
                if (d > 1.08) {
                    continue;
                }
                int p = y * w + x;
                double lum = 0.3 * r[p] + 0.59 * g[p] + 0.11 * b[p];
                double add;
                double keep;
                if (d < 0.82) {
                    keep = 0.8;
                    add = 0.22 * lum + 0.02;
                } else if (d < 1.0) {
                    keep = 0.6;
                    add = 0.55 + lum * 0.5; // the bright meniscus
                } else {
                    keep = 0.55;
                    add = 0;
                }
                double glint = Math.hypot(x + 0.5 - gx, y + 0.5 - gy) / br;
                if (glint < 0.16) {
                    add += 2.5 * (1 - glint / 0.16);
                }
                r[p] = (float) (r[p] * keep + add);
                g[p] = (float) (g[p] * keep + add);
                b[p] = (float) (b[p] * keep + add * 1.02);
            }
        }
    }

    /**
     * Field-of-view weight, tone mapping ({@code 1 - exp(-x)}, then the sRGB-like 1/2.2 curve) and a
     * little sensor noise, into packed RGB.
     */
    static void toRgb(float[] r, float[] g, float[] b, float[] weight, long noiseSeed, int[] out) {
        for (int i = 0; i < out.length; i++) {
            float wt = weight[i];
            if (wt <= 0) {
                out[i] = 0;
                continue;
            }
            long hsh = mix(noiseSeed + i * 0x9E3779B97F4A7C15L);
            int n = (int) (hsh & 7) - 3 + (int) ((hsh >>> 3) & 3) - 1; // about +-4 levels, triangular
            int cr = tone(r[i] * wt) + n;
            int cg = tone(g[i] * wt) + n;
            int cb = tone(b[i] * wt) + n + (int) ((hsh >>> 8) & 1);
            out[i] = (clamp8(cr) << 16) | (clamp8(cg) << 8) | clamp8(cb);
        }
    }

    private static int tone(double x) {
        if (!(x > 0)) {
            return 0;
        }
        int i = (int) (x * (TONE_STEPS / TONE_MAX));
        return TONE[Math.min(i, TONE_STEPS)];
    }

    private static int clamp8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static int[] toneTable() {
        int[] t = new int[TONE_STEPS + 1];
        for (int i = 0; i <= TONE_STEPS; i++) {
            double x = TONE_MAX * i / TONE_STEPS;
            double y = 1 - Math.exp(-1.6 * x);
            t[i] = (int) Math.round(255 * Math.pow(y, 1 / 2.2));
        }
        return t;
    }

    /** SplitMix64's finaliser: a well-mixed hash of a long. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
