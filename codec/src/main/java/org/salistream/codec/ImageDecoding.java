package org.salistream.codec;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The one place where the project decodes images, with javax.imageio: recorded images and masks on disk, a
 * frame record's JPEG or PNG (model-runtime's {@code FrameDecoder} turns it into the model's input), the mask
 * PNGs of the wire contract (the kafka module's {@code MaskPng}), and the size an image declares in its
 * header, read before anything is decoded (a small "PNG bomb" can declare 16384 x 16384). It lives in the
 * JDK-only codec module because every module that reads images depends on it. Every failure is an
 * {@link IOException} naming what could not be read, never a null image.
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
        if (bytes == null || bytes.length == 0) {
            throw new IOException(what + ": empty image");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IOException(what + ": undecodable image (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException(what + ": not a JPEG or PNG image (" + bytes.length + " bytes)");
        }
        return img;
    }

    /**
     * Width and height that encoded image bytes declare in their header (the PNG {@code IHDR} chunk, the JPEG
     * start-of-frame segment), without decoding a pixel.
     *
     * @param what named in the error message
     * @throws IOException when no reader recognises the bytes or the header is unreadable
     */
    public static int[] declaredSize(byte[] bytes, String what) throws IOException {
        // A memory cache: ImageIO's default for streams is a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(what + ": not a JPEG or PNG image (" + bytes.length + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } catch (IOException | RuntimeException e) {
                throw new IOException(
                        what + ": undecodable image header (" + bytes.length + " bytes): " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
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
