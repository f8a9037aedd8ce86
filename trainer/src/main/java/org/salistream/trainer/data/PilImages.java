package org.salistream.trainer.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import org.salistream.codec.ImageDecoding;
import org.salistream.datasets.GrayImage;
import org.salistream.model.image.RgbImage;

/**
 * The pixel conversions of the published loader ({@code rgb_loader}: {@code Image.convert('RGB')},
 * {@code binary_loader}: {@code Image.convert('L')}) and the flip of {@code cv_random_flip}
 * ({@code Image.transpose(FLIP_LEFT_RIGHT)}), as Pillow computes them: grey from colour is ITU-R 601-2 luma
 * in Pillow's fixed point, {@code (19595 R + 38470 G + 7471 B + 0x8000) >> 16}.
 */
public final class PilImages {

    private PilImages() {}

    /** Reads a mask as {@code Image.open(path).convert('L')}. */
    public static GrayImage readGray(Path file) throws IOException {
        return gray(ImageDecoding.read(file));
    }

    /** {@code convert('L')} of a decoded image: grey as stored (16-bit clipped to 255), colour by luma. */
    public static GrayImage gray(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        boolean grey = !(cm instanceof IndexColorModel) && cm.getColorSpace().getNumComponents() == 1;
        if (grey) {
            int max = (1 << cm.getComponentSize(0)) - 1;
            // Pillow opens 1-bit as 0/255 and 16-bit grey ("I;16") converts by clipping to 255; 8-bit as is.
            return GrayImage.fromGreySamples(
                    img, (v, bits) -> bits == 8 ? v : bits < 8 ? v * 255 / max : Math.min(v, 255));
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                out[y * w + x] = (byte) luma((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF);
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Pillow's {@code L24(rgb) >> 16}. */
    public static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** {@code convert('L')} of an RGB image. */
    public static GrayImage gray(RgbImage img) {
        byte[] rgb = img.rgb();
        byte[] out = new byte[img.width() * img.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) luma(rgb[3 * i] & 0xFF, rgb[3 * i + 1] & 0xFF, rgb[3 * i + 2] & 0xFF);
        }
        return new GrayImage(img.width(), img.height(), out);
    }

    /** {@code transpose(FLIP_LEFT_RIGHT)} of an RGB image. */
    public static RgbImage flip(RgbImage img) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.rgb();
        byte[] out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, 3 * (y * w + x), out, 3 * (y * w + (w - 1 - x)), 3);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** {@code transpose(FLIP_LEFT_RIGHT)} of a grey image. */
    public static GrayImage flip(GrayImage img) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + (w - 1 - x)] = src[y * w + x];
            }
        }
        return new GrayImage(w, h, out);
    }
}
