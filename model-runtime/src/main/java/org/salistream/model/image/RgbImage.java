package org.salistream.model.image;

import java.awt.image.BufferedImage;

/**
 * An 8-bit RGB frame as a plain value: width, height and interleaved RGB bytes, row-major.
 *
 * @param width W
 * @param height H
 * @param rgb 3 * W * H bytes, R G B per pixel
 */
public record RgbImage(int width, int height, byte[] rgb) {

    /** Checks the sizes. */
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException("RGB buffer of " + rgb.length + " bytes for a " + width + "x" + height
                    + " image (expected " + 3L * width * height + ")");
        }
    }

    /** The RGB pixels of any {@link BufferedImage} (alpha dropped, grey expanded), as PIL's convert('RGB'). */
    public static RgbImage of(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[3 * w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = 3 * (y * w + x);
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, out);
    }

    /** The value of channel c (0 R, 1 G, 2 B) at (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xFF;
    }

    /** A {@link BufferedImage} of type TYPE_INT_RGB holding these pixels. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = 3 * (y * width + x);
                row[x] = (rgb[o] & 0xFF) << 16 | (rgb[o + 1] & 0xFF) << 8 | (rgb[o + 2] & 0xFF);
            }
            img.setRGB(0, y, width, 1, row, 0, width);
        }
        return img;
    }
}
