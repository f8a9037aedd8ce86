package org.salistream.live.ingest;

import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * One captured picture as packed 8-bit B, G, R bytes, row after row without padding (FFmpeg's
 * {@code bgr24}, also Java2D's {@code TYPE_3BYTE_BGR} layout, so that it becomes an image without a copy).
 *
 * @param width  pixels per row
 * @param height rows
 * @param pixels {@code 3 * width * height} bytes (held by reference)
 */
public record BgrImage(int width, int height, byte[] pixels) {

    /** Checks the size. */
    public BgrImage {
        if (width < 1 || height < 1 || pixels == null || pixels.length != 3L * width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " BGR image needs " + 3L * width * height
                    + " bytes, got " + (pixels == null ? "null" : pixels.length));
        }
    }

    /** The blue, green and red bytes of one pixel as {@code 0xRRGGBB}. */
    public int rgb(int x, int y) {
        int o = 3 * (y * width + x);
        return (pixels[o + 2] & 0xFF) << 16 | (pixels[o + 1] & 0xFF) << 8 | (pixels[o] & 0xFF);
    }

    /** The brightest of a pixel's three channels, 0..255. */
    public int maxChannel(int x, int y) {
        int o = 3 * (y * width + x);
        return Math.max(pixels[o] & 0xFF, Math.max(pixels[o + 1] & 0xFF, pixels[o + 2] & 0xFF));
    }

    /** A Java2D view of the pixels ({@code TYPE_3BYTE_BGR}, sharing this array). */
    public BufferedImage toImage() {
        DataBufferByte buffer = new DataBufferByte(pixels, pixels.length);
        PixelInterleavedSampleModel model =
                new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, width, height, 3, 3 * width, new int[] {2, 1, 0});
        WritableRaster raster = Raster.createWritableRaster(model, buffer, new Point(0, 0));
        ComponentColorModel colours = new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(colours, raster, false, null);
    }

    /** The image's region as a Java2D view sharing this array. */
    public BufferedImage toImage(Crop crop) {
        BufferedImage full = toImage();
        return crop.isWhole(width, height) ? full : full.getSubimage(crop.x(), crop.y(), crop.width(), crop.height());
    }

    /** Never prints pixels. */
    @Override
    public String toString() {
        return "BgrImage[" + width + "x" + height + "]";
    }
}
