package org.salistream.kafka;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.salistream.codec.ImageDecoding;

/**
 * The mask format of the {@code masks} topic: an 8-bit grayscale PNG at frame size, pixel = polyp
 * probability x 255.
 *
 * <p>{@link #encodeProbabilities} quantizes like the published SALI test script ({@code test_video.py}:
 * {@code imageio.imwrite(path, np.uint8(res * 255))}), i.e. truncation toward zero, after clamping to
 * [0, 1]. The script also min-max normalizes each map ({@code (res - min) / (max - min + 1e-8)}) before
 * writing; whether to do that is the producer's choice (the pipeline documents its own), this class
 * stores what it is given.
 */
public final class MaskPng {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private MaskPng() {}

    /** A decoded 8-bit grayscale image, row-major, {@code pixels.length == width * height}. */
    public record Gray(int width, int height, byte[] pixels) {
        /** Checks the pixel count. */
        public Gray {
            if (width < 1 || height < 1 || pixels == null || pixels.length != width * height) {
                throw new IllegalArgumentException("a " + width + "x" + height + " gray image needs "
                        + (long) width * height + " pixels, got " + (pixels == null ? "null" : pixels.length));
            }
        }

        /** The pixel at column x, row y as 0..255. */
        public int at(int x, int y) {
            return pixels[y * width + x] & 0xFF;
        }
    }

    /** Whether the bytes start with the 8-byte PNG signature. */
    public static boolean hasPngSignature(byte[] bytes) {
        if (bytes == null || bytes.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (bytes[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Quantizes probabilities to 0..255 by truncation ({@code np.uint8(p * 255)}) and encodes a PNG.
     *
     * @param probabilities row-major, {@code width * height} values; NaN counts as 0, values are clamped to [0, 1]
     */
    public static byte[] encodeProbabilities(float[] probabilities, int width, int height) {
        if (probabilities == null || probabilities.length != (long) width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " mask needs " + (long) width * height
                    + " probabilities, got " + (probabilities == null ? "null" : probabilities.length));
        }
        byte[] gray = new byte[probabilities.length];
        for (int i = 0; i < gray.length; i++) {
            float p = probabilities[i];
            float clamped = p > 1f ? 1f : (p > 0f ? p : 0f); // NaN fails both tests and becomes 0
            gray[i] = (byte) (int) (clamped * 255f);
        }
        return encodeGray(new Gray(width, height, gray));
    }

    /** Encodes an 8-bit grayscale image as PNG. */
    public static byte[] encodeGray(Gray image) {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(image.pixels(), 0, target, 0, target.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, target.length / 8));
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("this JVM has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return out.toByteArray();
    }

    /** Decodes an 8-bit single-channel PNG; anything else is an {@link IllegalArgumentException} saying what it was. */
    public static Gray decodeGray(byte[] png) {
        if (!hasPngSignature(png)) {
            throw new IllegalArgumentException("not a PNG (no PNG signature)");
        }
        BufferedImage img;
        try {
            img = ImageDecoding.decode(png, "the mask PNG");
        } catch (IOException e) {
            throw new IllegalArgumentException("the PNG cannot be decoded: " + e.getMessage(), e);
        }
        Raster raster = img.getRaster();
        if (raster.getNumBands() != 1 || raster.getSampleModel().getSampleSize(0) != 8) {
            throw new IllegalArgumentException("the mask PNG must be 8-bit grayscale, got " + raster.getNumBands()
                    + " band(s) of " + raster.getSampleModel().getSampleSize(0) + " bits");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] pixels = new byte[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                pixels[y * w + x] = (byte) row[x];
            }
        }
        return new Gray(w, h, pixels);
    }
}
