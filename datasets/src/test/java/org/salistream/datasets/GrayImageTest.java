package org.salistream.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PNG reading as {@code cv2.imread(path, IMREAD_GRAYSCALE)} does it (values checked against opencv-python 4.14). */
class GrayImageTest {

    @TempDir
    Path dir;

    @Test
    void colourPngsUseLibpngTruncatedFixedPointWeights() throws Exception {
        BufferedImage rgb = new BufferedImage(4, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF0000); // 9797 * 255 >> 15 = 76
        rgb.setRGB(1, 0, 0x00FF00); // 19234 * 255 >> 15 = 149 (0.587 * 255 = 149.7 would round to 150)
        rgb.setRGB(2, 0, 0x0000FF); // 3737 * 255 >> 15 = 29
        rgb.setRGB(3, 0, 0x646464); // grey stays grey: 100
        Path f = dir.resolve("rgb.png");
        ImageIO.write(rgb, "png", f.toFile());
        GrayImage g = GrayImage.read(f);
        assertEquals(76, g.get(0, 0));
        assertEquals(149, g.get(1, 0));
        assertEquals(29, g.get(2, 0));
        assertEquals(100, g.get(3, 0));
    }

    @Test
    void sixteenBitGreyKeepsTheHighByte() throws Exception {
        BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 0x80FF);
        g16.getRaster().setSample(1, 0, 0, 0x0101);
        Path f = dir.resolve("g16.png");
        ImageIO.write(g16, "png", f.toFile());
        GrayImage g = GrayImage.read(f);
        assertEquals(0x80, g.get(0, 0));
        assertEquals(0x01, g.get(1, 0));
    }

    @Test
    void eightBitGreyIsReadAsStored() throws Exception {
        GrayImage src = new GrayImage(3, 1, new byte[] {0, (byte) 129, (byte) 255});
        Path f = dir.resolve("g8.png");
        ImageFiles.writePng(f, src.toBufferedImage());
        GrayImage g = GrayImage.read(f);
        assertEquals(129, g.get(1, 0));
        assertEquals(255, g.get(2, 0));
        assertEquals(2, g.countAbove(128));
    }

    @Test
    void probabilitiesAreTruncatedLikeNumpysUint8Cast() {
        GrayImage g = GrayImage.fromProbabilities(3, 1, new float[] {0.999f, 0.5f, 1f});
        assertEquals(254, g.get(0, 0)); // 254.745 -> 254
        assertEquals(127, g.get(1, 0));
        assertEquals(255, g.get(2, 0));
    }
}
