package org.salistream.live.watch;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.salistream.kafka.BoundingBox;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.MaskPng;

/**
 * Draws what the viewer lays over a frame: the outline of the mask (pixels whose polyp probability is above
 * the mask's threshold, a band about {@code max(2, width / 320)} pixels wide just inside the region's edge) in
 * {@link #CONTOUR} green, and the reported boxes in {@link #BOX} cyan, on a transparent image at frame size.
 * The browser draws it over the untouched frame; {@code --record} draws it the same way with
 * {@link #compose}. A 2-bit palette PNG: a few kilobytes, cheap to encode, exact colours.
 */
public final class OverlayRenderer {

    /** The outline's colour, pure green: nothing in a colonoscopy image is this colour. */
    public static final Color CONTOUR = new Color(0, 255, 0);
    /** The boxes' colour. */
    public static final Color BOX = new Color(0, 255, 255);

    private static final IndexColorModel PALETTE = new IndexColorModel(
            2,
            4,
            new byte[] {0, 0, 0, 0},
            new byte[] {0, (byte) 255, (byte) 255, 0},
            new byte[] {0, 0, (byte) 255, 0},
            new byte[] {0, (byte) 255, (byte) 255, 0});

    private OverlayRenderer() {}

    /**
     * The overlay of one mask.
     *
     * @param image the overlay (palette image: 0 transparent, 1 outline, 2 box)
     * @param png   the same as PNG bytes
     */
    public record Overlay(BufferedImage image, byte[] png) {}

    /** Renders the overlay of a mask at the mask's (the frame's) size. */
    public static Overlay render(MaskEnvelope mask) {
        MaskPng.Gray gray = MaskPng.decodeGray(mask.maskPng());
        int w = gray.width();
        int h = gray.height();
        boolean[] inside = new boolean[w * h];
        float limit = mask.threshold() * 255f;
        byte[] p = gray.pixels();
        for (int i = 0; i < inside.length; i++) {
            inside[i] = (p[i] & 0xFF) > limit;
        }
        int band = Math.max(2, w / 320);
        boolean[] core = erode(inside, w, h, band);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, PALETTE);
        WritableRaster raster = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (inside[i] && !core[i]) {
                    raster.setSample(x, y, 0, 1);
                }
            }
        }
        for (BoundingBox b : mask.boxes()) {
            outline(raster, b, Math.max(1, band / 2 + 1));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return new Overlay(img, out.toByteArray());
    }

    /**
     * The frame with the overlay, a caption and, while an alert is open, a red banner: what {@code --record}
     * writes, the same picture the browser shows.
     */
    public static BufferedImage compose(BufferedImage frame, Overlay overlay, MaskEnvelope mask, boolean alert) {
        int w = frame.getWidth();
        int h = frame.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(frame, 0, 0, null);
        g.drawImage(overlay.image(), 0, 0, w, h, null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int fontSize = Math.max(12, h / 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
        if (alert) {
            g.setColor(new Color(200, 0, 0));
            g.fillRect(0, 0, w, fontSize + 10);
            g.setColor(Color.WHITE);
            g.drawString("POLYP", 8, fontSize + 3);
        }
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1));
        g.drawString(String.format(Locale.ROOT, "#%d  p=%.2f", mask.frameIndex(), mask.maxProbability()), 8, h - 8);
        g.dispose();
        return out;
    }

    /** Pixels whose whole (2r+1)-square neighbourhood is inside: a separable minimum filter. */
    private static boolean[] erode(boolean[] in, int w, int h, int r) {
        boolean[] rows = new boolean[in.length];
        for (int y = 0; y < h; y++) {
            int run = 0;
            int[] left = new int[w];
            for (int x = 0; x < w; x++) {
                run = in[y * w + x] ? run + 1 : 0;
                left[x] = run;
            }
            run = 0;
            for (int x = w - 1; x >= 0; x--) {
                run = in[y * w + x] ? run + 1 : 0;
                rows[y * w + x] = left[x] > r && run > r;
            }
        }
        boolean[] out = new boolean[in.length];
        for (int x = 0; x < w; x++) {
            int run = 0;
            int[] up = new int[h];
            for (int y = 0; y < h; y++) {
                run = rows[y * w + x] ? run + 1 : 0;
                up[y] = run;
            }
            run = 0;
            for (int y = h - 1; y >= 0; y--) {
                run = rows[y * w + x] ? run + 1 : 0;
                out[y * w + x] = up[y] > r && run > r;
            }
        }
        return out;
    }

    private static void outline(WritableRaster raster, BoundingBox b, int thickness) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        for (int t = 0; t < thickness; t++) {
            int x0 = b.x() + t;
            int y0 = b.y() + t;
            int x1 = Math.min(w - 1, b.x() + b.w() - 1 - t);
            int y1 = Math.min(h - 1, b.y() + b.h() - 1 - t);
            if (x0 > x1 || y0 > y1) {
                return;
            }
            for (int x = x0; x <= x1; x++) {
                raster.setSample(x, y0, 0, 2);
                raster.setSample(x, y1, 0, 2);
            }
            for (int y = y0; y <= y1; y++) {
                raster.setSample(x0, y, 0, 2);
                raster.setSample(x1, y, 0, 2);
            }
        }
    }
}
