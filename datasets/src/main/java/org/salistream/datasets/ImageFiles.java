package org.salistream.datasets;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** JPEG and PNG encoding with javax.imageio (JPEG at an explicit quality, baseline, 4:2:0 as ImageIO writes it). */
public final class ImageFiles {

    /** The JPEG quality used for frames written or re-encoded by this module. */
    public static final float FRAME_JPEG_QUALITY = 0.95f;

    private ImageFiles() {}

    /** The image as JPEG bytes at the given quality (0..1); colour images must be RGB without alpha. */
    public static byte[] jpeg(BufferedImage image, float quality) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
        try {
            writeJpeg(image, quality, bos);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding failed", e);
        }
        return bos.toByteArray();
    }

    /** Writes the image as a JPEG file at the given quality. */
    public static void writeJpeg(Path file, BufferedImage image, float quality) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeJpeg(image, quality, out);
        }
    }

    /** Writes the image as a PNG file. */
    public static void writePng(Path file, RenderedImage image) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
    }

    private static void writeJpeg(BufferedImage image, float quality, OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG writer in javax.imageio");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
