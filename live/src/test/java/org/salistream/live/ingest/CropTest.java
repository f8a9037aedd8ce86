package org.salistream.live.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.salistream.datasets.synth.SynthOptions;
import org.salistream.datasets.synth.SyntheticProcedureGenerator;

/** {@code --crop}: parsing, the field detector on a monitor-like frame, and the tracker's patience. */
class CropTest {

    @Test
    void cropSpecsParse() {
        assertEquals(CropSpec.Mode.AUTO, CropSpec.parse(" Auto ").mode());
        assertEquals(CropSpec.Mode.NONE, CropSpec.parse("none").mode());
        assertEquals(
                new Crop(240, 10, 1040, 1010),
                CropSpec.parse("240,10,1040,1010").fixed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "half", "1,2,3", "1,2,3,4,5", "-1,0,10,10", "0,0,0,10", "a,b,c,d", "1.5,0,10,10"})
    void aBadCropIsAOneLineErrorQuotingIt(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CropSpec.parse(spec));
        assertTrue(e.getMessage().startsWith("--crop"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void aFixedCropOutsideTheFrameIsRefusedAtTheFirstFrame() {
        CropSpec s = CropSpec.parse("0,0,400,300");
        s.requireFits(400, 300);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.requireFits(320, 288));
        assertEquals("--crop 0,0,400,300 does not lie inside the source's 320x288 frames", e.getMessage());
    }

    @Test
    void theDetectorFindsTheEndoscopesFieldAndIgnoresTheTextInTheBorder() {
        BgrImage monitor = monitorFrame(1, 640, 480, 180, 60, 288, 320);
        Optional<Crop> field = new FieldDetector().detect(monitor);
        assertTrue(field.isPresent());
        Crop c = field.get();
        // The grid is 4 px here: the box holds the whole field and at most two cells (8 px) of border per side.
        assertTrue(c.x() <= 180 && c.x() >= 172 && c.y() <= 60 && c.y() >= 52, c.toString());
        assertTrue(c.x() + c.width() >= 180 + 288 && c.x() + c.width() <= 180 + 288 + 8, c.toString());
        assertTrue(c.y() + c.height() >= 60 + 320 && c.y() + c.height() <= 60 + 320 + 8, c.toString());
    }

    @Test
    void aBlackFrameHasNoField() {
        assertTrue(new FieldDetector()
                .detect(new BgrImage(64, 48, new byte[3 * 64 * 48]))
                .isEmpty());
    }

    @Test
    void theTrackerFollowsAMovedFieldOnlyAfterSeveralChecksAgree() {
        List<String> log = new ArrayList<>();
        CropTracker t = new CropTracker(CropSpec.parse("auto"), 2, 3, log::add);
        BgrImage a = monitorFrame(1, 640, 480, 180, 60, 288, 320);
        BgrImage b = monitorFrame(1, 640, 480, 100, 40, 400, 400);
        Crop first = t.update(a);
        assertEquals(1, log.size());
        BgrImage black = new BgrImage(640, 480, new byte[3 * 640 * 480]);
        for (int i = 0; i < 6; i++) {
            assertEquals(first, t.update(black), "a dark frame never moves the crop");
        }
        assertEquals(first, t.update(b));
        assertEquals(first, t.update(b)); // check 1 of 3
        assertEquals(first, t.update(b));
        assertEquals(first, t.update(b)); // check 2
        t.update(b);
        Crop moved = t.update(b); // check 3: taken
        assertTrue(moved.x() <= 100 && moved.width() >= 400, moved.toString());
        assertEquals(2, log.size());
        assertTrue(log.get(1).startsWith("field of view changed"), log.toString());
    }

    @Test
    void noneAndFixedCropsAreTakenAsTheyAre() {
        BgrImage a = monitorFrame(1, 640, 480, 180, 60, 288, 320);
        assertEquals(Crop.whole(640, 480), new CropTracker(CropSpec.parse("none"), 1, 1, s -> {}).update(a));
        assertEquals(new Crop(1, 2, 3, 4), new CropTracker(CropSpec.parse("1,2,3,4"), 1, 1, s -> {}).update(a));
    }

    /** A synthetic endoscope image pasted into a black monitor frame with white text in the border. */
    static BgrImage monitorFrame(long seed, int w, int h, int fx, int fy, int fw, int fh) {
        BufferedImage field = new SyntheticProcedureGenerator(
                        SynthOptions.builder()
                                .size(fw, fh)
                                .frames(3)
                                .polyps(1, 1)
                                .build(),
                        seed)
                .generateCase(1)
                .render(0)
                .image();
        BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = frame.createGraphics();
        g.drawImage(field, fx, fy, null);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        g.drawString("ID 0000000  F 54y", 8, 20);
        g.drawString("12:03:44", 8, h - 12);
        g.drawString("CVP 100 / Eh A1", w - 130, 20);
        g.dispose();
        byte[] bgr = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = frame.getRGB(x, y);
                int o = 3 * (y * w + x);
                bgr[o] = (byte) rgb;
                bgr[o + 1] = (byte) (rgb >> 8);
                bgr[o + 2] = (byte) (rgb >> 16);
            }
        }
        return new BgrImage(w, h, bgr);
    }
}
