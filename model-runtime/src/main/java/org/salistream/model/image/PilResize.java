package org.salistream.model.image;

/**
 * Bilinear resizing of 8-bit images exactly as Pillow's {@code Image.resize(size, Image.BILINEAR)} does it
 * ({@code ImagingResample} in Pillow's {@code libImaging/Resample.c}), which is what the published SALI
 * loaders run through {@code transforms.Resize((S, S))}: a separable triangle filter whose support widens
 * with the reduction factor (so downscaling averages, i.e. antialiases), coefficients normalised per output
 * pixel and quantised to 22-bit fixed point, a horizontal pass then a vertical pass, each rounded and
 * clipped to 8 bits.
 */
public final class PilResize {

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {}

    /** Resizes interleaved 8-bit pixels of {@code channels} channels from (w, h) to (outW, outH). */
    public static byte[] resize(byte[] src, int w, int h, int channels, int outW, int outH) {
        if (outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + outW + "x" + outH);
        }
        byte[] cur = src;
        int curW = w;
        // Pillow resamples horizontally first, then vertically, skipping a pass whose size is unchanged.
        if (outW != w) {
            cur = horizontal(cur, curW, h, channels, outW);
            curW = outW;
        }
        if (outH != h) {
            cur = vertical(cur, curW, h, channels, outH);
        }
        return cur == src ? src.clone() : cur;
    }

    /** Resizes an {@link RgbImage}. */
    public static RgbImage resize(RgbImage img, int outW, int outH) {
        return new RgbImage(outW, outH, resize(img.rgb(), img.width(), img.height(), 3, outW, outH));
    }

    /** Per output pixel: first input index, count, and fixed-point coefficients ({@code precompute_coeffs}). */
    record Coefficients(int[] bounds, int kernelSize, int[] kk) {}

    static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale; // the bilinear filter's support is 1
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] kk = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double ww = 0;
            for (int x = 0; x < xmax; x++) {
                double t = Math.abs((x + xmin - center + 0.5) * ss);
                k[x] = t < 1.0 ? 1.0 - t : 0.0;
                ww += k[x];
            }
            for (int x = 0; x < ksize; x++) {
                double v = x < xmax && ww != 0.0 ? k[x] / ww : 0.0;
                // normalize_coeffs_8bpc: round half away from zero into fixed point
                kk[xx * ksize + x] =
                        v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return new Coefficients(bounds, ksize, kk);
    }

    private static int clip8(int v) {
        int s = v >> PRECISION_BITS;
        return s < 0 ? 0 : Math.min(s, 255);
    }

    private static byte[] horizontal(byte[] src, int w, int h, int ch, int outW) {
        Coefficients c = coefficients(w, outW);
        byte[] out = new byte[outW * h * ch];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < outW; xx++) {
                int xmin = c.bounds[2 * xx];
                int xmax = c.bounds[2 * xx + 1];
                int kBase = xx * c.kernelSize;
                for (int b = 0; b < ch; b++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < xmax; x++) {
                        ss += (src[((y * w) + x + xmin) * ch + b] & 0xFF) * c.kk[kBase + x];
                    }
                    out[(y * outW + xx) * ch + b] = (byte) clip8(ss);
                }
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] src, int w, int h, int ch, int outH) {
        Coefficients c = coefficients(h, outH);
        byte[] out = new byte[w * outH * ch];
        for (int yy = 0; yy < outH; yy++) {
            int ymin = c.bounds[2 * yy];
            int ymax = c.bounds[2 * yy + 1];
            int kBase = yy * c.kernelSize;
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < ch; b++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int y = 0; y < ymax; y++) {
                        ss += (src[((y + ymin) * w + x) * ch + b] & 0xFF) * c.kk[kBase + y];
                    }
                    out[(yy * w + x) * ch + b] = (byte) clip8(ss);
                }
            }
        }
        return out;
    }
}
