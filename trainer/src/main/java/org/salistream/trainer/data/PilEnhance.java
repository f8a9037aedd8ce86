package org.salistream.trainer.data;

import org.salistream.model.image.RgbImage;

/**
 * Pillow's {@code ImageEnhance} on RGB images, as the published {@code colorEnhance} uses them. Each enhancer
 * blends the image with a "degenerate" version, {@code Image.blend(degenerate, image, factor)}: factor 0 gives
 * the degenerate image, 1 the original, above 1 extrapolates. The degenerate images are:
 * <ul>
 *   <li>{@link #brightness}: black;</li>
 *   <li>{@link #contrast}: uniform grey at the mean of the image's luma, {@code int(mean + 0.5)};</li>
 *   <li>{@link #color}: the image's luma ({@code convert('L').convert('RGB')});</li>
 *   <li>{@link #sharpness}: the image filtered with {@code ImageFilter.SMOOTH} (3x3 kernel
 *       1 1 1 / 1 5 1 / 1 1 1, divided by 13; border pixels copied).</li>
 * </ul>
 * The blend follows {@code ImagingBlend}: {@code in1 + alpha (in2 - in1)} in float32, truncated, and
 * clipped to [0, 255] when alpha lies outside [0, 1].
 */
public final class PilEnhance {

    private PilEnhance() {}

    /** {@code ImageEnhance.Brightness(img).enhance(factor)}. */
    public static RgbImage brightness(RgbImage img, double factor) {
        return blend(new byte[img.rgb().length], img, factor);
    }

    /** {@code ImageEnhance.Contrast(img).enhance(factor)}. */
    public static RgbImage contrast(RgbImage img, double factor) {
        byte[] rgb = img.rgb();
        int n = img.width() * img.height();
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += PilImages.luma(rgb[3 * i] & 0xFF, rgb[3 * i + 1] & 0xFF, rgb[3 * i + 2] & 0xFF);
        }
        int mean = (int) ((double) sum / n + 0.5); // ImageStat.Stat(L).mean, then int(mean + 0.5)
        byte[] grey = new byte[rgb.length];
        java.util.Arrays.fill(grey, (byte) mean);
        return blend(grey, img, factor);
    }

    /** {@code ImageEnhance.Color(img).enhance(factor)}. */
    public static RgbImage color(RgbImage img, double factor) {
        byte[] rgb = img.rgb();
        byte[] grey = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i += 3) {
            byte l = (byte) PilImages.luma(rgb[i] & 0xFF, rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF);
            grey[i] = l;
            grey[i + 1] = l;
            grey[i + 2] = l;
        }
        return blend(grey, img, factor);
    }

    /** {@code ImageEnhance.Sharpness(img).enhance(factor)}. */
    public static RgbImage sharpness(RgbImage img, double factor) {
        return blend(smooth(img), img, factor);
    }

    /**
     * {@code img.filter(ImageFilter.SMOOTH)} ({@code ImagingFilter3x3}): float32 sums of the rows below, at and
     * above each pixel, offset 0.5 for rounding, clipped and truncated; the first and last rows and columns are
     * copied.
     */
    static byte[] smooth(RgbImage img) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.rgb();
        byte[] out = src.clone();
        if (w < 3 || h < 3) {
            return out; // ImagingFilter returns a copy of images smaller than the kernel
        }
        float side = (float) (1.0 / 13.0);
        float centre = (float) (5.0 / 13.0);
        float[] k = {side, side, side, side, centre, side, side, side, side};
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                for (int c = 0; c < 3; c++) {
                    float ss = 0.5f;
                    ss += row(src, w, c, x, y + 1, k, 0);
                    ss += row(src, w, c, x, y, k, 3);
                    ss += row(src, w, c, x, y - 1, k, 6);
                    out[3 * (y * w + x) + c] = (byte) clip8(ss);
                }
            }
        }
        return out;
    }

    private static float row(byte[] src, int w, int c, int x, int y, float[] k, int k0) {
        int base = y * w;
        return (src[3 * (base + x - 1) + c] & 0xFF) * k[k0]
                + (src[3 * (base + x) + c] & 0xFF) * k[k0 + 1]
                + (src[3 * (base + x + 1) + c] & 0xFF) * k[k0 + 2];
    }

    private static int clip8(float v) {
        if (v <= 0f) {
            return 0;
        }
        if (v >= 255f) {
            return 255;
        }
        return (int) v;
    }

    /** {@code Image.blend(degenerate, img, factor)}. */
    static RgbImage blend(byte[] degenerate, RgbImage img, double factor) {
        byte[] in2 = img.rgb();
        float alpha = (float) factor; // ImagingBlend takes a C float
        if (alpha == 0f) {
            return new RgbImage(img.width(), img.height(), degenerate.clone());
        }
        if (alpha == 1f) {
            return new RgbImage(img.width(), img.height(), in2.clone());
        }
        byte[] out = new byte[in2.length];
        boolean interpolate = alpha >= 0f && alpha <= 1f;
        for (int i = 0; i < out.length; i++) {
            int a = degenerate[i] & 0xFF;
            float t = a + alpha * ((in2[i] & 0xFF) - a);
            out[i] = (byte) (interpolate ? (int) t : clip8(t));
        }
        return new RgbImage(img.width(), img.height(), out);
    }
}
