package org.salistream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.salistream.datasets.GrayImage;
import org.salistream.model.ModelConfig;
import org.salistream.model.image.RgbImage;

/**
 * The published augmentations as Pillow computes them, on cases worked out by hand from Pillow's C code
 * ({@code Geometry.c}, {@code Blend.c}, {@code Filter.c}, {@code Convert.c}).
 */
class PilAugmentationsTest {

    private static RgbImage rgb(int w, int h, int... pixels) {
        byte[] b = new byte[pixels.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) pixels[i];
        }
        return new RgbImage(w, h, b);
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    @Test
    void aFlipMirrorsEveryRow() {
        RgbImage img = rgb(3, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertArrayEquals(
                new int[] {7, 8, 9, 4, 5, 6, 1, 2, 3},
                unsigned(PilImages.flip(img).rgb()));
        GrayImage g = new GrayImage(2, 2, new byte[] {1, 2, 3, 4});
        assertArrayEquals(new byte[] {2, 1, 4, 3}, PilImages.flip(g).pixels());
    }

    @Test
    void lumaIsPillowsFixedPointItuR601() {
        assertEquals(76, PilImages.luma(255, 0, 0)); // 0.299 * 255 = 76.2
        assertEquals(150, PilImages.luma(0, 255, 0)); // 0.587 * 255 = 149.7, rounded by the +0x8000
        assertEquals(29, PilImages.luma(0, 0, 255));
        assertEquals(255, PilImages.luma(255, 255, 255));
    }

    @Test
    void aRotationByNinetyDegreesSamplesPixelCentresExactly() {
        // At 90 degrees every output pixel maps onto an input pixel centre, where Pillow's cubic gives the
        // pixel itself: counter-clockwise, out(x, y) = in(column w-1-y, row x).
        int w = 5;
        byte[] px = new byte[w * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        GrayImage r = PilRotate.rotate(new GrayImage(w, w, px), 90);
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(px[x * w + (w - 1 - y)] & 0xFF, r.get(x, y), "at " + x + "," + y);
            }
        }
    }

    @Test
    void aRotationKeepsAFlatImageFlatInsideAndBlackensTheCorners() {
        byte[] flat = new byte[32 * 32 * 3];
        java.util.Arrays.fill(flat, (byte) 200);
        RgbImage r = PilRotate.rotate(new RgbImage(32, 32, flat), 10);
        assertEquals(200, r.get(16, 16, 0)); // the cubic weights sum to 1: a constant stays exact
        assertEquals(200, r.get(5, 16, 2));
        assertEquals(0, r.get(0, 0, 1)); // the corner's source lies outside the image
        assertEquals(0, r.get(31, 31, 0));
        assertArrayEquals(flat, PilRotate.rotate(new RgbImage(32, 32, flat), 0).rgb()); // angle 0: a copy
    }

    @Test
    void brightnessBlendsWithBlackAndClipsWhenExtrapolating() {
        RgbImage img = rgb(1, 1, 201, 100, 200);
        assertArrayEquals(
                new int[] {100, 50, 100},
                unsigned(PilEnhance.brightness(img, 0.5).rgb()));
        assertArrayEquals(
                new int[] {255, 150, 255},
                unsigned(PilEnhance.brightness(img, 1.5).rgb()));
    }

    @Test
    void contrastBlendsWithTheMeanGreyOfTheLuma() {
        RgbImage img = rgb(2, 1, 0, 0, 0, 200, 200, 200); // luma 0 and 200, mean 100
        assertArrayEquals(
                new int[] {50, 50, 50, 150, 150, 150},
                unsigned(PilEnhance.contrast(img, 0.5).rgb()));
        assertArrayEquals(
                new int[] {0, 0, 0, 250, 250, 250},
                unsigned(PilEnhance.contrast(img, 1.5).rgb()));
    }

    @Test
    void colourBlendsWithTheLuma() {
        RgbImage red = rgb(1, 1, 255, 0, 0); // luma 76
        assertArrayEquals(
                new int[] {76, 76, 76}, unsigned(PilEnhance.color(red, 0).rgb()));
        assertArrayEquals(
                new int[] {255, 0, 0}, unsigned(PilEnhance.color(red, 2).rgb()));
        assertArrayEquals(
                new int[] {165, 38, 38}, unsigned(PilEnhance.color(red, 0.5).rgb()));
    }

    @Test
    void sharpnessBlendsWithTheSmoothFilterAndCopiesTheBorder() {
        int[] p = new int[27];
        p[12] = 255; // the centre pixel's red
        RgbImage img = rgb(3, 3, p);
        // SMOOTH at the centre: 255 * 5/13 + 0.5 = 98.6, truncated to 98; the border is copied.
        assertEquals(98, PilEnhance.sharpness(img, 0).get(1, 1, 0));
        assertEquals(0, PilEnhance.sharpness(img, 0).get(0, 0, 0));
        assertEquals(176, PilEnhance.sharpness(img, 0.5).get(1, 1, 0)); // 98 + 0.5 * 157 = 176.5
        assertEquals(255, PilEnhance.sharpness(img, 2).get(1, 1, 0)); // extrapolated, clipped
    }

    @Test
    void pepperSetsAtMostTheRightNumberOfPixelsToBlackOrWhite() {
        byte[] grey = new byte[100 * 80];
        java.util.Arrays.fill(grey, (byte) 128);
        GrayImage out = TripletAugmenter.pepper(new GrayImage(100, 80, grey), new SplittableRandom(3));
        int changed = 0;
        for (byte b : out.pixels()) {
            int v = b & 0xFF;
            if (v != 128) {
                assertTrue(v == 0 || v == 255);
                changed++;
            }
        }
        assertTrue(changed > 0 && changed <= (int) (0.0015 * 80 * 100), "changed " + changed); // 12 draws
    }

    @Test
    void theTransformIsDeterministicPerSeedAndTheMasksStayInZeroOne() {
        TripletAugmenter aug = new TripletAugmenter(32, ModelConfig.IMAGENET_MEAN, ModelConfig.IMAGENET_STD, true);
        SplittableRandom content = new SplittableRandom(5);
        byte[] px = new byte[48 * 40 * 3];
        byte[] mk = new byte[48 * 40];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) content.nextInt(256);
        }
        for (int i = 0; i < mk.length; i++) {
            mk[i] = (byte) ((i % 48) > 20 ? 255 : 0);
        }
        List<RgbImage> frames = List.of(new RgbImage(48, 40, px), new RgbImage(48, 40, px), new RgbImage(48, 40, px));
        List<GrayImage> masks = List.of(new GrayImage(48, 40, mk), new GrayImage(48, 40, mk));
        TrainSample a = aug.apply(frames, masks, new SplittableRandom(11));
        TrainSample b = aug.apply(frames, masks, new SplittableRandom(11));
        TrainSample c = aug.apply(frames, masks, new SplittableRandom(12));
        assertArrayEquals(a.current(), b.current());
        assertArrayEquals(a.gt(), b.gt());
        assertNotEquals(java.util.Arrays.toString(a.current()), java.util.Arrays.toString(c.current()));
        // Each frame draws its own colour factors: the three copies of one frame come out different.
        assertNotEquals(java.util.Arrays.toString(a.memory()), java.util.Arrays.toString(a.current()));
        for (float v : a.gt()) {
            assertTrue(v >= 0f && v <= 1f);
        }
        TrainSample plain = new TripletAugmenter(48, ModelConfig.IMAGENET_MEAN, ModelConfig.IMAGENET_STD, false)
                .apply(
                        List.of(
                                new RgbImage(48, 48, new byte[48 * 48 * 3]),
                                new RgbImage(48, 48, new byte[48 * 48 * 3]),
                                new RgbImage(48, 48, new byte[48 * 48 * 3])),
                        List.of(GrayImage.blank(48, 48), GrayImage.blank(48, 48)),
                        new SplittableRandom(1));
        assertEquals(-0.485f / 0.229f, plain.current()[0], 1e-6f); // a black pixel, normalised
    }
}
