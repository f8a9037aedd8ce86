package org.salistream.datasets.eval;

import org.salistream.datasets.GrayImage;

/**
 * {@code cv2.resize(src, (W, H))} for 8-bit single-channel images: OpenCV's default
 * {@code INTER_LINEAR}, which for {@code CV_8U} runs in fixed point (imgproc/src/resize.cpp,
 * {@code resizeGeneric_} with {@code HResizeLinear} and {@code VResizeLinear<uchar, int, short, ...>}).
 * The toolbox uses it to bring a prediction to the ground truth's size before any metric.
 *
 * <p>Per destination column {@code dx}: {@code fx = (float)((dx + 0.5) * scale - 0.5)} with
 * {@code scale = 1 / (dW / sW)} in double, {@code sx = floor(fx)}, {@code fx -= sx}; a column left of the
 * source ({@code sx < 0}) or at/after its last column ({@code sx >= sW - 1}) is clamped to that column
 * with {@code fx = 0}. Weights are {@code round(((1 - fx) * 2048))} and {@code round(fx * 2048)} (float,
 * rounded half to even). Rows are the same except that the fraction is not reset at the borders: the two
 * source rows are clamped instead ({@code sy} and {@code sy + 1} within {@code [0, sH - 1]}).
 * The horizontal pass keeps {@code S = src[sx] * a0 + src[sx + 1] * a1} as an int; the vertical pass is
 * OpenCV's SIMD-compatible formula {@code ((b0 * (S0 >> 4)) >> 16) + ((b1 * (S1 >> 4)) >> 16) + 2) >> 2},
 * which the scalar tail uses too (not the textbook {@code (v + 2^21) >> 22}). Exact 2x downscaling takes
 * OpenCV's area path, whose result equals this formula there. Verified bit-exact against
 * opencv-python 4.14 on hundreds of random sizes.
 */
public final class CvResize {

    private static final int COEF_SCALE = 2048; // INTER_RESIZE_COEF_SCALE = 1 << 11

    private CvResize() {}

    /** The image resized to {@code dstWidth x dstHeight} as {@code cv2.resize(src, (dstWidth, dstHeight))}. */
    public static GrayImage resize(GrayImage src, int dstWidth, int dstHeight) {
        if (dstWidth < 1 || dstHeight < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + dstWidth + "x" + dstHeight);
        }
        int sw = src.width();
        int sh = src.height();
        if (sw == dstWidth && sh == dstHeight) {
            return src;
        }
        int[] xofs = new int[dstWidth];
        int[] xalpha = new int[dstWidth * 2];
        coefficients(sw, dstWidth, true, xofs, xalpha);
        int[] yofs = new int[dstHeight];
        int[] ybeta = new int[dstHeight * 2];
        coefficients(sh, dstHeight, false, yofs, ybeta);

        byte[] s = src.pixels();
        byte[] out = new byte[dstWidth * dstHeight];
        int[] row0 = new int[dstWidth];
        int[] row1 = new int[dstWidth];
        int cached0 = -1;
        int cached1 = -1;
        for (int dy = 0; dy < dstHeight; dy++) {
            int r0 = clamp(yofs[dy], sh);
            int r1 = clamp(yofs[dy] + 1, sh);
            if (r0 != cached0) {
                if (r0 == cached1) {
                    int[] t = row0;
                    row0 = row1;
                    row1 = t;
                } else {
                    horizontal(s, r0 * sw, sw, xofs, xalpha, row0);
                }
                cached0 = r0;
                cached1 = -1;
            }
            if (r1 != cached1) {
                horizontal(s, r1 * sw, sw, xofs, xalpha, row1);
                cached1 = r1;
            }
            int b0 = ybeta[2 * dy];
            int b1 = ybeta[2 * dy + 1];
            int base = dy * dstWidth;
            for (int dx = 0; dx < dstWidth; dx++) {
                int v = (((b0 * (row0[dx] >> 4)) >> 16) + ((b1 * (row1[dx] >> 4)) >> 16) + 2) >> 2;
                out[base + dx] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
        return new GrayImage(dstWidth, dstHeight, out);
    }

    private static int clamp(int r, int size) {
        return r < 0 ? 0 : Math.min(r, size - 1);
    }

    private static void horizontal(byte[] s, int rowStart, int sw, int[] xofs, int[] alpha, int[] dst) {
        for (int dx = 0; dx < dst.length; dx++) {
            int sx = xofs[dx];
            int a0 = alpha[2 * dx];
            int a1 = alpha[2 * dx + 1];
            int v0 = s[rowStart + sx] & 0xFF;
            // A clamped column has a1 == 0; OpenCV then never reads sx + 1.
            int v1 = sx + 1 < sw ? s[rowStart + sx + 1] & 0xFF : 0;
            dst[dx] = v0 * a0 + v1 * a1;
        }
    }

    /**
     * Source offsets and fixed-point weights for one axis, as {@code resize()} builds {@code xofs/ialpha}
     * and {@code yofs/ibeta}.
     */
    static void coefficients(int srcSize, int dstSize, boolean clampFraction, int[] ofs, int[] weights) {
        double scale = 1.0 / ((double) dstSize / srcSize);
        for (int d = 0; d < dstSize; d++) {
            float f = (float) ((d + 0.5) * scale - 0.5);
            int s = (int) Math.floor(f);
            f -= s;
            if (clampFraction) {
                if (s < 0) {
                    f = 0f;
                    s = 0;
                }
                if (s >= srcSize - 1) {
                    f = 0f;
                    s = srcSize - 1;
                }
            }
            ofs[d] = s;
            weights[2 * d] = (int) Math.rint((1f - f) * COEF_SCALE);
            weights[2 * d + 1] = (int) Math.rint(f * COEF_SCALE);
        }
    }
}
