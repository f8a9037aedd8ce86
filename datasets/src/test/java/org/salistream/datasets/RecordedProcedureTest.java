package org.salistream.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.datasets.synth.Mp4Writer;

class RecordedProcedureTest {

    @TempDir
    Path root;

    @Test
    void aSunSegCaseFolderStreamsItsFilesAsStoredWithMasks() throws Exception {
        Path split = root.resolve("Split");
        for (String n : List.of("f2", "f1")) {
            SunSegLayoutTest.frame(split.resolve("Frame/case1"), n);
            SunSegLayoutTest.mask(split.resolve("GT/case1"), n);
        }
        RecordedProcedure p = RecordedProcedure.open(split.resolve("Frame/case1"));
        assertEquals("case1", p.id());
        assertEquals(2, p.frameCount().orElseThrow());
        List<RecordedFrame> frames;
        try (Stream<RecordedFrame> s = p.frames()) {
            frames = s.toList();
        }
        assertEquals("f1", frames.get(0).name());
        assertEquals(RecordedFrame.JPEG, frames.get(0).contentType());
        assertArrayEquals(
                Files.readAllBytes(split.resolve("Frame/case1/f1.jpg")),
                frames.get(0).encoded());
        assertEquals(8, frames.get(1).width());
        assertEquals(6, frames.get(1).image().getHeight());
        assertTrue(frames.get(1).mask().isPresent());
        // The split folder itself, holding one case, opens the same procedure.
        assertEquals("case1", RecordedProcedure.open(split).id());
    }

    @Test
    void aPlainImageFolderNeedsAMaskForEveryFrameWhenAMaskFolderIsGiven() throws Exception {
        Path frames = root.resolve("frames");
        SunSegLayoutTest.frame(frames, "a");
        SunSegLayoutTest.frame(frames, "b");
        Path masks = root.resolve("masks");
        SunSegLayoutTest.mask(masks, "a");
        assertEquals(2, RecordedProcedure.open(frames).frameCount().orElseThrow());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RecordedProcedure.open(frames, masks));
        assertTrue(e.getMessage().contains("frame b.jpg has no mask"), e.getMessage());
    }

    @Test
    void aVideoIsDecodedAndEachFrameReencodedAsJpegWithItsMask() throws Exception {
        Path video = root.resolve("proc.mp4");
        Path masks = root.resolve("m");
        int n = 6;
        try (Mp4Writer w = new Mp4Writer(video, 64, 48, 25)) {
            for (int i = 0; i < n; i++) {
                BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(new Color(40 * i, 120, 200));
                g.fillRect(0, 0, 64, 48);
                g.dispose();
                w.write(img);
                SunSegLayoutTest.mask(masks, String.format("m%02d", i));
            }
        }
        // Masks are 8x6 in SunSegLayoutTest; use 64x48 ones here.
        for (int i = 0; i < n; i++) {
            ImageFiles.writePng(
                    masks.resolve(String.format("m%02d.png", i)),
                    GrayImage.blank(64, 48).toBufferedImage());
        }
        RecordedProcedure p = RecordedProcedure.open(video, masks);
        assertEquals("proc", p.id());
        List<RecordedFrame> frames;
        try (Stream<RecordedFrame> s = p.frames()) {
            frames = s.toList();
        }
        assertEquals(n, frames.size());
        RecordedFrame f = frames.get(3);
        assertEquals(RecordedFrame.JPEG, f.contentType());
        assertEquals((byte) 0xFF, f.encoded()[0]);
        assertEquals((byte) 0xD8, f.encoded()[1]);
        assertEquals(64, f.width());
        assertEquals(48, f.image().getHeight());
        assertTrue(f.mask().isPresent());
        int red = (f.image().getRGB(32, 24) >> 16) & 0xFF;
        assertEquals(120, red, 12); // the colour survives H.264 and JPEG
    }

    @Test
    void aVideoWithMoreMasksThanFramesIsAnError() throws Exception {
        Path video = root.resolve("short.mp4");
        Path masks = root.resolve("mm");
        try (Mp4Writer w = new Mp4Writer(video, 32, 32, 25)) {
            for (int i = 0; i < 3; i++) {
                w.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB));
            }
        }
        Files.createDirectories(masks);
        for (int i = 0; i < 5; i++) {
            ImageFiles.writePng(
                    masks.resolve("k" + i + ".png"), GrayImage.blank(32, 32).toBufferedImage());
        }
        RecordedProcedure p = RecordedProcedure.open(video, masks);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (Stream<RecordedFrame> s = p.frames()) {
                s.forEach(fr -> {});
            }
        });
        assertTrue(e.getMessage().contains("has 3 frames but the mask folder holds 5 masks"), e.getMessage());
    }
}
