package org.salistream.live.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.salistream.kafka.BoundingBox;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.MaskPng;

class OverlayRendererTest {

    @Test
    void theOutlineIsABandInsideTheRegionsEdgeInPureGreenAndTheRestIsTransparent() throws Exception {
        int w = 64;
        int h = 48;
        float[] p = new float[w * h];
        for (int y = 10; y < 30; y++) {
            for (int x = 20; x < 44; x++) {
                p[y * w + x] = 0.9f;
            }
        }
        MaskEnvelope m = new MaskEnvelope(
                "p",
                3,
                1,
                2,
                "sali",
                "t",
                w,
                h,
                0.9f,
                480,
                0.5f,
                List.of(new BoundingBox(18, 8, 28, 24, 0.9f)),
                MaskPng.encodeProbabilities(p, w, h));
        OverlayRenderer.Overlay o = OverlayRenderer.render(m);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(o.png()));
        assertEquals(w, png.getWidth());
        int contour = OverlayRenderer.CONTOUR.getRGB();
        assertEquals(contour, png.getRGB(20, 20), "the region's left edge");
        assertEquals(contour, png.getRGB(21, 20), "two pixels wide");
        assertEquals(0, png.getRGB(22, 20) >>> 24, "inside the band: transparent");
        assertEquals(0, png.getRGB(30, 20) >>> 24, "the middle of the region: transparent");
        assertEquals(0, png.getRGB(5, 5) >>> 24, "outside: transparent");
        assertEquals(OverlayRenderer.BOX.getRGB(), png.getRGB(18, 20), "the box's left side");
        int outline = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (png.getRGB(x, y) == contour) {
                    outline++;
                    assertTrue(p[y * w + x] > 0.5f, "outline pixels lie inside the mask");
                }
            }
        }
        assertEquals(2 * (24 + 20) * 2 - 16, outline);
        assertTrue(o.png().length < 2048, "a palette PNG of a few hundred bytes: " + o.png().length);
    }
}
