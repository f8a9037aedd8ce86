package org.salistream.datasets.synth;

import java.util.SplittableRandom;

/**
 * The colon wall's surface, unrolled: a periodic texture over (angle around the axis, position along
 * it) holding the mucosa's albedo (linear RGB, with mottling and a branching submucosal vessel network)
 * and a fine height field whose slopes perturb the normal (the wet, slightly uneven surface that makes
 * scattered specular glints). Four mip levels, each a 2x2 box reduction of the one above, keep the far
 * wall from aliasing.
 */
final class ColonTexture {

    /** Texels around the circumference. */
    static final int TU = 512;
    /** Texels along the axis, covering {@link #Z_SPAN}. */
    static final int TV = 512;
    /** Axial length the texture covers before it repeats. */
    static final double Z_SPAN = 5.0;

    static final int LEVELS = 4;

    /** Per level: albedo red, green, blue interleaved, row-major (size TU>>l x TV>>l). */
    final float[][] rgb = new float[LEVELS][];
    /** Height-field slopes around and along, level 0 only. */
    final float[] slopeU;
    /** Where the mucus film is thick enough to glint, 0..1, level 0. */
    final float[] wet;

    final float[] slopeV;

    ColonTexture(SplittableRandom rnd, double redness, double vesselDensity) {
        int n = TU * TV;
        float[] mottle = new float[n];
        float[] hue = new float[n];
        float[] height = new float[n];
        Noise low = new Noise(rnd.nextLong(), 8, 8);
        Noise mid = new Noise(rnd.nextLong(), 32, 32);
        Noise fine = new Noise(rnd.nextLong(), 128, 128);
        Noise hueNoise = new Noise(rnd.nextLong(), 6, 6);
        Noise wetNoise = new Noise(rnd.nextLong(), 24, 24);
        wet = new float[n];
        for (int v = 0; v < TV; v++) {
            for (int u = 0; u < TU; u++) {
                double x = (double) u / TU;
                double y = (double) v / TV;
                int i = v * TU + u;
                mottle[i] = (float) (0.55 * low.at(x, y) + 0.3 * mid.at(x, y) + 0.15 * fine.at(x, y));
                hue[i] = (float) hueNoise.at(x, y);
                height[i] = (float) (0.65 * mid.at(x * 2, y * 2) + 0.35 * fine.at(x, y));
                double wv = wetNoise.at(x, y);
                wet[i] = (float) Math.max(0, Math.min(1, (wv - 0.42) / 0.3));
            }
        }
        float[] vessels = new float[n];
        VesselNetwork.draw(vessels, TU, TV, rnd, vesselDensity);

        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            double m = 0.82 + 0.36 * mottle[i];
            double h = hue[i];
            // Mucosa: orange-pink, some areas paler/yellower, some redder (linear RGB).
            double cr = (0.80 + 0.06 * h) * m;
            double cg = (0.235 + 0.07 * (1 - h) - 0.05 * redness) * m;
            double cb = (0.13 + 0.04 * (1 - h) - 0.03 * redness) * m;
            double ves = Math.min(1.0, vessels[i]);
            // Vessels: darker, more saturated red-purple.
            r[i] = (float) (cr * (1 - 0.38 * ves));
            g[i] = (float) (cg * (1 - 0.72 * ves));
            b[i] = (float) (cb * (1 - 0.55 * ves));
        }
        for (int l = 0; l < LEVELS; l++) {
            if (l > 0) {
                r = reduce(r, TU >> (l - 1), TV >> (l - 1));
                g = reduce(g, TU >> (l - 1), TV >> (l - 1));
                b = reduce(b, TU >> (l - 1), TV >> (l - 1));
            }
            float[] c = new float[3 * r.length];
            for (int i = 0; i < r.length; i++) {
                c[3 * i] = r[i];
                c[3 * i + 1] = g[i];
                c[3 * i + 2] = b[i];
            }
            rgb[l] = c;
        }
        slopeU = new float[n];
        slopeV = new float[n];
        for (int v = 0; v < TV; v++) {
            for (int u = 0; u < TU; u++) {
                int i = v * TU + u;
                int ip = v * TU + (u + 1) % TU;
                int im = v * TU + (u + TU - 1) % TU;
                int jp = ((v + 1) % TV) * TU + u;
                int jm = ((v + TV - 1) % TV) * TU + u;
                slopeU[i] = (height[ip] - height[im]) * 0.5f;
                slopeV[i] = (height[jp] - height[jm]) * 0.5f;
            }
        }
    }

    /** The mip level for a lookup whose footprint covers {@code footprint} level-0 texels. */
    static int mipLevel(double footprint) {
        return footprint < 1.5 ? 0 : footprint < 3 ? 1 : footprint < 6 ? 2 : 3;
    }

    /** Index of the level-0 texel holding (u, v), in texels, wrapped: for the slopes and the wet film. */
    static int texel(double u, double v) {
        return Math.floorMod((int) u, TU) + Math.floorMod((int) v, TV) * TU;
    }

    /** Albedo at (u, v), in level-0 texels, bilinear between the texel centres of one level, into out. */
    void albedo(int level, double u, double v, double[] out) {
        int lw = TU >> level;
        int lh = TV >> level;
        double su = u / (1 << level) - 0.5;
        double sv = v / (1 << level) - 0.5;
        int iu = (int) Math.floor(su);
        int iv = (int) Math.floor(sv);
        double fu = su - iu;
        double fv = sv - iv;
        int u0 = Math.floorMod(iu, lw);
        int u1 = u0 + 1 == lw ? 0 : u0 + 1;
        int v0 = Math.floorMod(iv, lh);
        int v1 = v0 + 1 == lh ? 0 : v0 + 1;
        float[] tc = rgb[level];
        int i00 = 3 * (v0 * lw + u0);
        int i01 = 3 * (v0 * lw + u1);
        int i10 = 3 * (v1 * lw + u0);
        int i11 = 3 * (v1 * lw + u1);
        for (int c = 0; c < 3; c++) {
            out[c] = Interpolation.bilinear(tc[i00 + c], tc[i01 + c], tc[i10 + c], tc[i11 + c], fu, fv);
        }
    }

    private static float[] reduce(float[] src, int w, int h) {
        int w2 = w / 2;
        int h2 = h / 2;
        float[] out = new float[w2 * h2];
        for (int y = 0; y < h2; y++) {
            for (int x = 0; x < w2; x++) {
                int i = 2 * y * w + 2 * x;
                out[y * w2 + x] = 0.25f * (src[i] + src[i + 1] + src[i + w] + src[i + w + 1]);
            }
        }
        return out;
    }

    /** Periodic value noise on a coarse lattice, smoothly interpolated; values in [0, 1]. */
    static final class Noise {
        private final float[] lattice;
        private final int nx;
        private final int ny;

        Noise(long seed, int nx, int ny) {
            this.nx = nx;
            this.ny = ny;
            SplittableRandom r = new SplittableRandom(seed);
            lattice = new float[nx * ny];
            for (int i = 0; i < lattice.length; i++) {
                lattice[i] = (float) r.nextDouble();
            }
        }

        double at(double x, double y) {
            double fx = x * nx;
            double fy = y * ny;
            int ix = (int) Math.floor(fx);
            int iy = (int) Math.floor(fy);
            double tx = smooth(fx - ix);
            double ty = smooth(fy - iy);
            int x0 = Math.floorMod(ix, nx);
            int x1 = (x0 + 1) % nx;
            int y0 = Math.floorMod(iy, ny);
            int y1 = (y0 + 1) % ny;
            return Interpolation.bilinear(
                    lattice[y0 * nx + x0], lattice[y0 * nx + x1], lattice[y1 * nx + x0], lattice[y1 * nx + x1], tx, ty);
        }

        private static double smooth(double t) {
            return t * t * (3 - 2 * t);
        }
    }
}
