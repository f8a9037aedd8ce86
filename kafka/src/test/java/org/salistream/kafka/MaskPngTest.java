package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MaskPngTest {

    @Test
    void grayPixelsSurviveAnEncodeDecodeRoundTripExactly() {
        byte[] pixels = new byte[37 * 23];
        new Random(7).nextBytes(pixels);
        MaskPng.Gray decoded = MaskPng.decodeGray(MaskPng.encodeGray(new MaskPng.Gray(37, 23, pixels)));
        assertEquals(37, decoded.width());
        assertEquals(23, decoded.height());
        assertArrayEquals(pixels, decoded.pixels());
    }

    @Test
    void probabilitiesAreTruncatedLikeNumpyUint8OfTimes255() {
        // np.uint8(res * 255): 0.5 * 255 = 127.5 -> 127; 0.999 * 255 = 254.745 -> 254; 1 -> 255
        float[] p = {0f, 0.5f, 0.999f, 1f, 1.5f, -0.2f, Float.NaN, 0.0039f};
        MaskPng.Gray g = MaskPng.decodeGray(MaskPng.encodeProbabilities(p, 4, 2));
        int[] expected = {0, 127, 254, 255, 255, 0, 0, 0};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], g.at(i % 4, i / 4), "pixel " + i + " from p=" + p[i]);
        }
    }

    @Test
    void aSmoothMapCompressesWellBelowItsRawSize() {
        int w = 352;
        int h = 352;
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x - 170, y - 190) / 60.0;
                p[y * w + x] = (float) Math.exp(-d * d);
            }
        }
        byte[] png = MaskPng.encodeProbabilities(p, w, h);
        assertTrue(png.length < w * h / 4, "PNG of " + png.length + " bytes for " + w * h + " pixels");
    }

    @Test
    void aColourPngIsRejectedAsNotGrayscale() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", out);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MaskPng.decodeGray(out.toByteArray()));
        assertEquals("the mask PNG must be 8-bit grayscale, got 3 band(s) of 8 bits", e.getMessage());
    }

    @Test
    void bytesWithoutThePngSignatureAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> MaskPng.decodeGray(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0, 0, 0, 0, 0}));
        assertEquals(false, MaskPng.hasPngSignature(null));
    }

    @Test
    void theProbabilityCountMustMatchTheSize() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MaskPng.encodeProbabilities(new float[5], 2, 2));
        assertEquals("a 2x2 mask needs 4 probabilities, got 5", e.getMessage());
    }
}
