package org.salistream.model.image;

import java.io.IOException;
import org.salistream.codec.ImageDecoding;

/**
 * The width and height an encoded JPEG or PNG declares in its header, read without decoding a pixel (the
 * PNG {@code IHDR} chunk; the JPEG start-of-frame segment), so that a frame can be refused before its
 * decoder allocates width x height pixels: a small "PNG bomb" can declare 16384 x 16384 (a gigabyte).
 *
 * @param width declared width in pixels
 * @param height declared height in pixels
 */
public record ImageSize(int width, int height) {

    /** Pixels declared, as a long (16384 x 16384 overflows nothing). */
    public long pixels() {
        return (long) width * height;
    }

    /**
     * Reads the declared size.
     *
     * @param source named in the error message
     * @throws IOException when no JPEG or PNG reader recognises the bytes or the header is unreadable
     */
    public static ImageSize read(byte[] bytes, String source) throws IOException {
        int[] wh = ImageDecoding.declaredSize(bytes, source);
        return new ImageSize(wh[0], wh[1]);
    }
}
