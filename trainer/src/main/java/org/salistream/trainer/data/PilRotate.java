package org.salistream.trainer.data;

import org.salistream.datasets.GrayImage;
import org.salistream.model.image.RgbImage;

/**
 * Pillow's {@code Image.rotate(angle, Image.BICUBIC)} (no expand, about the centre, black fill), which the
 * published {@code randomRotation} applies to the frames and the masks: an affine map from each output
 * pixel centre back into the input ({@code libImaging/Geometry.c}, {@code affine_transform}), and Pillow's
 * bicubic sampler there ({@code bicubic_filter8}/{@code bicubic_filter32RGB}): a cubic convolution with
 * a = -1, rows clamped at the top and repeated at the bottom as Pillow does, computed in double, clipped
 * to [0, 255] and truncated. Points whose source falls outside the image are black.
 */
public final class PilRotate {

    private PilRotate() {}

    /** Rotates an RGB image by {@code degrees} counter-clockwise. */
    public static RgbImage rotate(RgbImage img, double degrees) {
        return new RgbImage(img.width(), img.height(), rotate(img.rgb(), img.width(), img.height(), 3, degrees));
    }

    /** Rotates a grey image by {@code degrees} counter-clockwise. */
    public static GrayImage rotate(GrayImage img, double degrees) {
        return new GrayImage(img.width(), img.height(), rotate(img.pixels(), img.width(), img.height(), 1, degrees));
    }

    /** Rotates interleaved 8-bit pixels of {@code channels} channels. */
    static byte[] rotate(byte[] src, int w, int h, int channels, double degrees) {
        double angle = degrees % 360.0;
        if (angle < 0) {
            angle += 360.0; // Python's modulo is non-negative
        }
        if (angle == 0) {
            return src.clone(); // Pillow returns a copy
        }
        // Image.rotate: the inverse map, with cos/sin rounded to 15 decimals, about the centre (w/2, h/2).
        double rad = -Math.toRadians(angle);
        double a = round15(Math.cos(rad));
        double b = round15(Math.sin(rad));
        double d = round15(-Math.sin(rad));
        double e = round15(Math.cos(rad));
        double cx = w / 2.0;
        double cy = h / 2.0;
        double c = a * -cx + b * -cy + cx;
        double f = d * -cx + e * -cy + cy;
        byte[] out = new byte[src.length];
        double[] v = new double[4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double xin = a * (x + 0.5) + b * (y + 0.5) + c;
                double yin = d * (x + 0.5) + e * (y + 0.5) + f;
                if (xin < 0.0 || xin >= w || yin < 0.0 || yin >= h) {
                    continue; // fill: black
                }
                for (int ch = 0; ch < channels; ch++) {
                    out[(y * w + x) * channels + ch] = (byte) bicubic(src, w, h, channels, ch, xin, yin, v);
                }
            }
        }
        return out;
    }

    /** Pillow's {@code BICUBIC_HEAD}/{@code BICUBIC_BODY} at (xin, yin), clipped and truncated. */
    private static int bicubic(byte[] src, int w, int h, int channels, int ch, double xin, double yin, double[] v) {
        double xs = xin - 0.5;
        double ys = yin - 0.5;
        int x = (int) Math.floor(xs);
        int y = (int) Math.floor(ys);
        double dx = xs - x;
        double dy = ys - y;
        x--;
        y--;
        int x0 = clip(x, w);
        int x1 = clip(x + 1, w);
        int x2 = clip(x + 2, w);
        int x3 = clip(x + 3, w);
        v[0] = row(src, w, channels, ch, clip(y, h), x0, x1, x2, x3, dx);
        for (int k = 1; k < 4; k++) {
            int yy = y + k;
            // Pillow repeats the previous row's value for rows below the image (not a clamp).
            v[k] = yy >= 0 && yy < h ? row(src, w, channels, ch, yy, x0, x1, x2, x3, dx) : v[k - 1];
        }
        double r = cubic(v[0], v[1], v[2], v[3], dy);
        if (r <= 0.0) {
            return 0;
        }
        if (r >= 255.0) {
            return 255;
        }
        return (int) r;
    }

    private static double row(
            byte[] src, int w, int channels, int ch, int y, int x0, int x1, int x2, int x3, double dx) {
        int base = y * w;
        return cubic(
                src[(base + x0) * channels + ch] & 0xFF,
                src[(base + x1) * channels + ch] & 0xFF,
                src[(base + x2) * channels + ch] & 0xFF,
                src[(base + x3) * channels + ch] & 0xFF,
                dx);
    }

    /** Pillow's {@code BICUBIC} macro: cubic convolution with a = -1 through v1..v4 at offset d from v2. */
    private static double cubic(double v1, double v2, double v3, double v4, double d) {
        double p1 = v2;
        double p2 = -v1 + v3;
        double p3 = 2 * (v1 - v2) + v3 - v4;
        double p4 = -v1 + v2 - v3 + v4;
        return p1 + d * (p2 + d * (p3 + d * p4));
    }

    private static int clip(int i, int size) {
        return i < 0 ? 0 : Math.min(i, size - 1);
    }

    /** Python's {@code round(v, 15)} (half to even on the decimal value; ties do not occur for cos/sin). */
    private static double round15(double v) {
        return new java.math.BigDecimal(v)
                .setScale(15, java.math.RoundingMode.HALF_EVEN)
                .doubleValue();
    }
}
