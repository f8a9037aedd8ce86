package org.salistream.datasets;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import org.salistream.codec.ImageDecoding;

/**
 * Greyscale decoding that reproduces {@code cv2.imread(path, cv2.IMREAD_GRAYSCALE)} for PNG files. OpenCV's
 * PNG decoder asks libpng for {@code png_set_rgb_to_gray(png, 1, 0.299, 0.587)} on colour images and
 * {@code png_set_strip_16} on 16-bit ones. libpng turns the weights into 15-bit integers without
 * rounding ({@code 29900 * 32768 / 100000 = 9797}, {@code 19234}, and blue takes the rest, {@code 3737})
 * and truncates the weighted sum; for 16-bit colour the grey value is formed at 16 bits, then its high
 * byte kept. These rules were checked against opencv-python 4.14 on random images.
 */
final class GrayDecoding {

    private static final int RED = 9797;
    private static final int GREEN = 19234;
    private static final int BLUE = 32768 - RED - GREEN; // 3737

    private GrayDecoding() {}

    static GrayImage read(Path file) throws IOException {
        return convert(ImageDecoding.read(file), file.toString());
    }

    static GrayImage convert(BufferedImage img, String what) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        Raster raster = img.getRaster();
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            // Palette: libpng expands to RGB first, then converts.
            int[] sample = new int[1];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int idx = raster.getPixel(x, y, sample)[0];
                    out[y * w + x] = (byte) gray8(icm.getRed(idx), icm.getGreen(idx), icm.getBlue(idx));
                }
            }
            return new GrayImage(w, h, out);
        }
        int bands = raster.getNumBands();
        int bits = cm.getComponentSize(0);
        boolean colour = cm.getColorSpace().getNumComponents() >= 3;
        if (!colour) {
            int max = (1 << bits) - 1;
            return GrayImage.fromGreySamples(
                    img,
                    (v, b) -> b == 8
                            ? v
                            : b > 8
                                    ? v >> (b - 8) // strip_16 keeps the high byte
                                    : v * 255 / max); // libpng expands 1/2/4-bit grey to the full range
        }
        if (bands < 3) {
            throw new IllegalArgumentException("unsupported colour layout (" + bands + " bands) in " + what);
        }
        int[] r = new int[w];
        int[] g = new int[w];
        int[] b = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, r);
            raster.getSamples(0, y, w, 1, 1, g);
            raster.getSamples(0, y, w, 1, 2, b);
            for (int x = 0; x < w; x++) {
                int v;
                if (bits > 8) {
                    v = gray16(r[x], g[x], b[x]) >> (bits - 8);
                } else {
                    v = gray8(r[x], g[x], b[x]);
                }
                out[y * w + x] = (byte) v;
            }
        }
        return new GrayImage(w, h, out);
    }

    private static int gray8(int r, int g, int b) {
        if (r == g && g == b) {
            return r;
        }
        return (RED * r + GREEN * g + BLUE * b) >> 15;
    }

    private static int gray16(int r, int g, int b) {
        if (r == g && g == b) {
            return r;
        }
        return (int) (((long) RED * r + (long) GREEN * g + (long) BLUE * b) >> 15);
    }
}
