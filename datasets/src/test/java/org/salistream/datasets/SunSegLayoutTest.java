package org.salistream.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SunSegLayoutTest {

    @TempDir
    Path root;

    static void frame(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        ImageFiles.writeJpeg(dir.resolve(name + ".jpg"), new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB), 0.9f);
    }

    static void mask(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        ImageFiles.writePng(dir.resolve(name + ".png"), GrayImage.blank(8, 6).toBufferedImage());
    }

    @Test
    void casesComeInNaturalOrderAndFramesInThePublishedLoadersOrder() throws Exception {
        Path split = root.resolve("TestHardDataset/Seen");
        for (String c : List.of("case10", "case2")) {
            for (String n : List.of(c + "_image0010", c + "_image0002", c + "_image0001")) {
                frame(split.resolve("Frame").resolve(c), n);
                mask(split.resolve("GT").resolve(c), n);
            }
        }
        SunSegLayout layout = SunSegLayout.open(root, "TestHardDataset/Seen");
        assertEquals(List.of("case2", "case10"), layout.cases());
        List<SunSegFrame> frames = layout.frames("case2");
        assertEquals(
                List.of("case2_image0001", "case2_image0002", "case2_image0010"),
                frames.stream().map(SunSegFrame::name).toList());
        assertEquals(2, frames.get(2).index());
        assertEquals(8, frames.get(0).readImage().getWidth());
        assertEquals(6, frames.get(0).readMask().orElseThrow().height());
    }

    @Test
    void aMissingMaskIsNamed() throws Exception {
        Path split = root.resolve("S");
        frame(split.resolve("Frame/c1"), "a");
        frame(split.resolve("Frame/c1"), "b");
        mask(split.resolve("GT/c1"), "a");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SunSegLayout.ofSplitRoot(split).frames("c1"));
        assertTrue(e.getMessage().contains("2 frames but 1 masks; no mask for frame b"), e.getMessage());
    }

    @Test
    void aMaskOfAnotherNameIsAMismatch() throws Exception {
        Path split = root.resolve("S");
        frame(split.resolve("Frame/c1"), "a");
        mask(split.resolve("GT/c1"), "z");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SunSegLayout.ofSplitRoot(split).frames("c1"));
        assertTrue(e.getMessage().contains("paired with mask z.png"), e.getMessage());
    }

    @Test
    void aFolderWithoutFrameIsNotASplit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SunSegLayout.open(root, "x"));
        assertTrue(e.getMessage().contains("has no Frame/ folder"), e.getMessage());
    }
}
