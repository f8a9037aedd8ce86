package org.salistream.model.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

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
        // A memory cache: ImageIO's default for streams is a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(source + ": not a JPEG or PNG image (" + bytes.length + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new ImageSize(reader.getWidth(0), reader.getHeight(0));
            } catch (IOException | RuntimeException e) {
                throw new IOException(
                        source + ": undecodable image header (" + bytes.length + " bytes): " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }
}
