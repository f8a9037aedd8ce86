package org.salistream.datasets;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The one place where recorded images (dataset files, recorded frames, masks on disk) are decoded, with
 * javax.imageio. Decoding the model's input from a frame record is model-runtime's
 * {@code org.salistream.model.image.FrameDecoder} (which checks the size from the header first), and the
 * mask PNGs of the wire contract are the kafka module's {@code MaskPng}: those modules cannot depend on this
 * one. Every failure is an {@link IOException} naming what could not be read, never a null image.
 */
public final class ImageDecoding {

    private ImageDecoding() {}

    /** The image in {@code file} as stored (no colour conversion). */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such image file: " + file);
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("not a readable image (javax.imageio has no decoder for it): " + file);
        }
        return img;
    }

    /** The image encoded in {@code bytes} (JPEG, PNG...); {@code what} names it in the error. */
    public static BufferedImage decode(byte[] bytes, String what) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        if (img == null) {
            throw new IOException(what + " is not a readable image (javax.imageio has no decoder for it)");
        }
        return img;
    }

    /** Width and height of the image in {@code file} from its header, without decoding the pixels. */
    public static int[] size(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("not a readable image: " + file);
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in);
                return new int[] {r.getWidth(0), r.getHeight(0)};
            } finally {
                r.dispose();
            }
        }
    }
}
