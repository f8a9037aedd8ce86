package org.salistream.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.IntBinaryOperator;

/**
 * An 8-bit single-channel image stored row-major ({@code pixels[y * width + x]}, values 0..255 as unsigned
 * bytes): a ground-truth mask or a prediction map as the VPS evaluation toolbox reads them with
 * {@code cv2.imread(path, cv2.IMREAD_GRAYSCALE)}.
 *
 * <p>The pixel array is shared, not copied: callers that keep an image must not modify the array.
 */
public final class GrayImage {

    private final int width;
    private final int height;
    private final byte[] pixels;

    /**
     * @param width  columns, at least 1
     * @param height rows, at least 1
     * @param pixels {@code width * height} bytes, row-major
     */
    public GrayImage(int width, int height, byte[] pixels) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(
                    "a " + width + "x" + height + " image needs " + width * height + " pixels, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /** A black image. */
    public static GrayImage blank(int width, int height) {
        return new GrayImage(width, height, new byte[width * height]);
    }

    /**
     * Reads a PNG (or any format javax.imageio reads) exactly as {@code cv2.imread(path, IMREAD_GRAYSCALE)}
     * does: 8-bit grey as stored, 1/2/4-bit grey scaled to 0..255, 16-bit grey by its high byte, colour
     * converted with libpng's fixed-point weights {@code (9797 R + 19234 G + 3737 B) >> 15} (libpng's
     * {@code png_set_rgb_to_gray(…, 0.299, 0.587)}, which OpenCV requests), alpha ignored.
     */
    public static GrayImage read(Path file) throws IOException {
        return GrayDecoding.read(file);
    }

    /** Converts a decoded image with the same rules as {@link #read(Path)}. */
    public static GrayImage of(BufferedImage image) {
        return GrayDecoding.convert(image, "image");
    }

    /**
     * A one-band (grey) image converted sample by sample: {@code toByte} maps each stored value to 0..255
     * given the band's bit depth. OpenCV's and Pillow's readers differ only there (16-bit grey: high byte
     * or clipped), so the walk over the raster is written once.
     */
    public static GrayImage fromGreySamples(BufferedImage image, IntBinaryOperator toByte) {
        int w = image.getWidth();
        int h = image.getHeight();
        int bits = image.getColorModel().getComponentSize(0);
        byte[] out = new byte[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRaster().getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (byte) toByte.applyAsInt(row[x], bits);
            }
        }
        return new GrayImage(w, h, out);
    }

    /**
     * Quantises probabilities as the published test script saves them, {@code np.uint8(res * 255)}:
     * the product in float32, truncated toward zero.
     *
     * @param probabilities {@code width * height} values in [0, 1], row-major
     */
    public static GrayImage fromProbabilities(int width, int height, float[] probabilities) {
        if (probabilities.length != width * height) {
            throw new IllegalArgumentException(
                    "expected " + width * height + " probabilities, got " + probabilities.length);
        }
        byte[] out = new byte[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            float v = probabilities[i] * 255f; // float32 like numpy's float32 array times 255
            int q = v >= 255f ? 255 : v <= 0f || Float.isNaN(v) ? 0 : (int) v;
            out[i] = (byte) q;
        }
        return new GrayImage(width, height, out);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (row-major, unsigned bytes); not a copy. */
    public byte[] pixels() {
        return pixels;
    }

    /** The value 0..255 at column x, row y. */
    public int get(int x, int y) {
        return pixels[y * width + x] & 0xFF;
    }

    /** Number of pixels whose value is above {@code threshold}. */
    public int countAbove(int threshold) {
        int n = 0;
        for (byte p : pixels) {
            if ((p & 0xFF) > threshold) {
                n++;
            }
        }
        return n;
    }

    /** This image as a {@link BufferedImage#TYPE_BYTE_GRAY} image (a copy). */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, width, height, pixels.clone());
        return img;
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + "x" + height + "]";
    }
}
