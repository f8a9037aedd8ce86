package org.salistream.live.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.synth.SunSegWriter;
import org.salistream.datasets.synth.SyntheticCase;
import org.salistream.live.watch.OverlayRenderer;

/**
 * A screenshot of a procedure's page in the viewer, with the frame it shows: its ground truth and its own
 * image (from the synthetic case's SUN-SEG folders) and where the canvas sits in the screenshot.
 *
 * @param png        the screenshot
 * @param frameIndex the frame drawn
 * @param canvas     the canvas's left, top, width, height in screenshot pixels
 * @param truth      the frame's ground-truth mask
 * @param frame      the frame's image as written
 */
public record ViewerShot(byte[] png, long frameIndex, double[] canvas, GrayImage truth, BufferedImage frame) {

    private static final String STATE = "const r = document.getElementById('screen').getBoundingClientRect();"
            + " return [saliViewer.framesDrawn, saliViewer.lastFrameIndex, r.left, r.top, r.width, r.height];";

    /**
     * A screenshot taken while one frame with at least {@code minPolypPixels} of polyp in view stays drawn, or
     * null (the frame changed meanwhile, or its polyp is out of view).
     */
    public static ViewerShot take(HeadlessChromium browser, Path split, SyntheticCase c, int minPolypPixels)
            throws Exception {
        JsonNode before = browser.script(STATE);
        byte[] png = browser.screenshot();
        JsonNode after = browser.script(STATE);
        if (before.get(0).asInt() != after.get(0).asInt() || before.get(1).asLong() < 0) {
            return null;
        }
        long index = before.get(1).asLong();
        String name = SunSegWriter.frameName(c, (int) index);
        GrayImage truth = GrayImage.read(split.resolve("GT").resolve(c.id()).resolve(name + ".png"));
        if (truth.countAbove(128) < minPolypPixels) {
            return null;
        }
        BufferedImage frame = ImageIO.read(
                split.resolve("Frame").resolve(c.id()).resolve(name + ".jpg").toFile());
        double[] rect = {
            before.get(2).asDouble(),
            before.get(3).asDouble(),
            before.get(4).asDouble(),
            before.get(5).asDouble()
        };
        return new ViewerShot(png, index, rect, truth, frame);
    }

    /** {outline-green pixels on the canvas, of which within {@code margin} pixels of the ground truth}. */
    public int[] outlineOnPolyp(int margin) throws IOException {
        BufferedImage img = screenshot();
        int total = 0;
        int onPolyp = 0;
        for (int y = 0; y < (int) canvas[3]; y++) {
            for (int x = 0; x < (int) canvas[2]; x++) {
                if (near(img.getRGB((int) canvas[0] + x, (int) canvas[1] + y), OverlayRenderer.CONTOUR.getRGB(), 40)) {
                    total++;
                    if (nearTruth(frameX(x), frameY(y), margin)) {
                        onPolyp++;
                    }
                }
            }
        }
        return new int[] {total, onPolyp};
    }

    /**
     * Mean absolute difference (0..255) between the canvas in the screenshot and the frame's own image, over
     * the pixels the overlay leaves alone: the frame is drawn where the canvas is, untouched and unscaled.
     */
    public double frameDifference() throws IOException {
        BufferedImage img = screenshot();
        long sum = 0;
        long n = 0;
        for (int y = 0; y < (int) canvas[3]; y++) {
            for (int x = 0; x < (int) canvas[2]; x++) {
                int shown = img.getRGB((int) canvas[0] + x, (int) canvas[1] + y);
                if (near(shown, OverlayRenderer.CONTOUR.getRGB(), 60)
                        || near(shown, OverlayRenderer.BOX.getRGB(), 60)) {
                    continue;
                }
                int own = frame.getRGB(frameX(x), frameY(y));
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs(((shown >> shift) & 0xFF) - ((own >> shift) & 0xFF));
                }
                n += 3;
            }
        }
        return n == 0 ? Double.NaN : (double) sum / n;
    }

    private BufferedImage screenshot() throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private int frameX(int canvasX) {
        return Math.min(truth.width() - 1, (int) (canvasX * truth.width() / canvas[2]));
    }

    private int frameY(int canvasY) {
        return Math.min(truth.height() - 1, (int) (canvasY * truth.height() / canvas[3]));
    }

    private boolean nearTruth(int x, int y, int margin) {
        for (int dy = -margin; dy <= margin; dy++) {
            for (int dx = -margin; dx <= margin; dx++) {
                int px = x + dx;
                int py = y + dy;
                if (px >= 0 && py >= 0 && px < truth.width() && py < truth.height() && truth.get(px, py) > 128) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean near(int rgb, int target, int tolerance) {
        for (int shift = 0; shift < 24; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xFF) - ((target >> shift) & 0xFF)) > tolerance) {
                return false;
            }
        }
        return true;
    }
}
