package org.salistream.model.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.salistream.codec.ImageDecoding;

/**
 * Decodes JPEG and PNG frames into {@link RgbImage}s with the JDK's image codecs, with an error that says
 * what is wrong (and never includes the bytes).
 */
public final class FrameDecoder {

    private FrameDecoder() {}

    /**
     * Decodes encoded image bytes.
     *
     * @param source named in the error message
     * @throws IOException when the bytes are not a readable image
     */
    public static RgbImage decode(byte[] bytes, String source) throws IOException {
        BufferedImage img = ImageDecoding.decode(bytes, source);
        if (img.getWidth() <= 0 || img.getHeight() <= 0) {
            throw new IOException(source + ": image has zero size");
        }
        return RgbImage.of(img);
    }

    /** Reads and decodes an image file. */
    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such image file");
        }
        return decode(Files.readAllBytes(file), file.toString());
    }
}
