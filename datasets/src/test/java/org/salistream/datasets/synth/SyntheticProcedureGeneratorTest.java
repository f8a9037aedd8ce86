package org.salistream.datasets.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticProcedureGeneratorTest {

    private static SynthOptions small(Set<Degradation> kinds) {
        return SynthOptions.builder()
                .size(96, 80)
                .frames(40)
                .polyps(1, 1)
                .degradations(kinds)
                .build();
    }

    private static int[] pixels(BufferedImage img) {
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }

    @Test
    void theSameSeedGivesTheSamePixelsInAnyOrderAndAnotherSeedOthers() {
        SynthOptions o =
                SynthOptions.builder().size(48, 40).frames(8).polyps(1, 3).build();
        SyntheticCase a = new SyntheticProcedureGenerator(o, 42).generateCase(2);
        SyntheticCase b = new SyntheticProcedureGenerator(o, 42).generateCase(2);
        for (int f = o.frames() - 1; f >= 0; f--) { // b rendered backwards
            SyntheticFrame fa = a.render(o.frames() - 1 - f);
            SyntheticFrame fb = b.render(o.frames() - 1 - f);
            assertArrayEquals(pixels(fa.image()), pixels(fb.image()));
            assertArrayEquals(fa.mask().pixels(), fb.mask().pixels());
            assertEquals(fa.info(), fb.info());
        }
        SyntheticCase c = new SyntheticProcedureGenerator(o, 43).generateCase(2);
        assertFalse(java.util.Arrays.equals(
                pixels(a.render(3).image()), pixels(c.render(3).image())));
    }

    @Test
    void everyMaskPixelIsWhereTheRayMeetsAPolypBeforeTheWall() {
        SynthOptions o = SynthOptions.builder()
                .size(64, 56)
                .frames(30)
                .polyps(2, 3)
                .degradations(EnumSet.allOf(Degradation.class))
                .build();
        SyntheticCase c = new SyntheticProcedureGenerator(o, 7).generateCase(1);
        int polypPixels = 0;
        for (int f = 0; f < o.frames(); f += 3) {
            SyntheticFrame frame = c.render(f);
            Vec3 origin = frame.info().camera().position();
            for (int y = 0; y < o.height(); y++) {
                for (int x = 0; x < o.width(); x++) {
                    // Independent geometry: the published ellipsoids and the wall distance.
                    boolean expected = false;
                    int expectedId = 0;
                    if (c.insideFieldOfView(x, y)) {
                        Vec3 ray = c.pixelRay(f, x, y);
                        double wall = c.wallDistance(origin, ray);
                        double nearest = Double.POSITIVE_INFINITY;
                        for (Polyp p : c.polyps()) {
                            for (Ellipsoid e : p.parts()) {
                                double t = e.entry(origin, ray);
                                if (t < nearest) {
                                    nearest = t;
                                    expectedId = p.id();
                                }
                            }
                        }
                        expected = nearest < wall;
                    }
                    int m = frame.mask().get(x, y);
                    assertEquals(expected ? 255 : 0, m, "frame " + f + " pixel " + x + "," + y);
                    if (expected) {
                        polypPixels++;
                        assertEquals(expectedId, c.surfaceAt(f, x, y));
                    }
                }
            }
            int sum = frame.info().polyps().stream().mapToInt(PolypView::pixels).sum();
            assertEquals(frame.mask().countAbove(128), sum, "per-polyp pixel counts add up to the mask");
        }
        assertTrue(polypPixels > 200, "the sample must contain polyp pixels, had " + polypPixels);
    }

    @Test
    void eachRequestedLowQualityKindAppearsAsAConsecutiveSegmentWithItsEffect() {
        for (Degradation kind : Degradation.values()) {
            SynthOptions o = small(EnumSet.of(kind));
            SyntheticCase c = new SyntheticProcedureGenerator(o, 11).generateCase(1);
            SyntheticCase clean = new SyntheticProcedureGenerator(small(Set.of()), 11).generateCase(1);
            List<Integer> frames = new ArrayList<>();
            for (int f = 0; f < o.frames(); f++) {
                if (c.degradations(f).contains(kind)) {
                    frames.add(f);
                }
                assertTrue(clean.degradations(f).isEmpty());
            }
            assertTrue(frames.size() >= 3, kind + " segment of at least 3 frames, got " + frames);
            assertEquals(frames.get(frames.size() - 1) - frames.get(0) + 1, frames.size(), kind + " consecutive");
            int mid = frames.get(frames.size() / 2);
            SyntheticFrame bad = c.render(mid);
            SyntheticFrame good = clean.render(mid);
            assertTrue(bad.info().degradations().contains(kind));
            switch (kind) {
                case MOTION_BLUR, DEFOCUS ->
                    assertTrue(
                            sharpness(bad) < 0.8 * sharpness(good),
                            kind + ": " + sharpness(bad) + " vs " + sharpness(good));
                case OVER_EXPOSURE ->
                    assertTrue(
                            brightness(bad) > brightness(good) + 20,
                            kind + ": " + brightness(bad) + " vs " + brightness(good));
                case BUBBLES -> {
                    assertTrue(differingPixels(bad, good) > 30, "bubbles change the picture");
                    assertArrayEquals(good.mask().pixels(), bad.mask().pixels(), "the mask keeps the whole polyp");
                }
                case OUT_OF_VIEW -> {
                    assertTrue(c.render(frames.get(0) - 1).info().polypVisible(), "visible before");
                    assertTrue(frames.stream().anyMatch(f -> !c.render(f).info().polypVisible()), "leaves the view");
                    int after = frames.get(frames.size() - 1) + 1;
                    assertTrue(after < o.frames() && c.render(after).info().polypVisible(), "re-enters the view");
                }
                default -> throw new AssertionError(kind);
            }
            if (kind != Degradation.OUT_OF_VIEW) {
                assertArrayEquals(good.mask().pixels(), bad.mask().pixels(), kind + " leaves the geometry alone");
            }
        }
    }

    @Test
    void aCaseWithoutPolypsHasEmptyMasks() {
        SynthOptions o =
                SynthOptions.builder().size(40, 40).frames(5).polyps(0, 0).build();
        SyntheticCase c = new SyntheticProcedureGenerator(o, 3).generateCase(1);
        assertTrue(c.polyps().isEmpty());
        c.frames().forEach(f -> assertEquals(0, f.mask().countAbove(0)));
    }

    @Test
    void optionsRejectImpossibleValuesWithAClearMessage() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> SynthOptions.builder().polyps(2, 4).build());
        assertTrue(e.getMessage().contains("0 <= min <= max <= 3"), e.getMessage());
        assertNotNull(SynthOptions.builder().build().toBuilder().frames(3).build());
    }

    /**
     * Mean absolute Laplacian of the green channel, 2x2-averaged first so that sensor noise does not
     * dominate, over the field of view.
     */
    static double sharpness(SyntheticFrame f) {
        int w = f.image().getWidth() / 2;
        int h = f.image().getHeight() / 2;
        int[] p = pixels(f.image());
        int fw = f.image().getWidth();
        double[] g = new double[w * h];
        boolean[] in = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 2 * y * fw + 2 * x;
                int[] q = {p[i], p[i + 1], p[i + fw], p[i + fw + 1]};
                in[y * w + x] = q[0] != 0 && q[1] != 0 && q[2] != 0 && q[3] != 0;
                g[y * w + x] =
                        (((q[0] >> 8) & 0xFF) + ((q[1] >> 8) & 0xFF) + ((q[2] >> 8) & 0xFF) + ((q[3] >> 8) & 0xFF))
                                / 4.0;
            }
        }
        double sum = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                if (!(in[i] && in[i - 1] && in[i + 1] && in[i - w] && in[i + w])) {
                    continue;
                }
                sum += Math.abs(4 * g[i] - g[i - 1] - g[i + 1] - g[i - w] - g[i + w]);
                n++;
            }
        }
        return sum / n;
    }

    static double brightness(SyntheticFrame f) {
        int[] p = pixels(f.image());
        double sum = 0;
        for (int v : p) {
            sum += ((v >> 16) & 0xFF) + ((v >> 8) & 0xFF) + (v & 0xFF);
        }
        return sum / (3.0 * p.length);
    }

    static int differingPixels(SyntheticFrame a, SyntheticFrame b) {
        int[] p = pixels(a.image());
        int[] q = pixels(b.image());
        int n = 0;
        for (int i = 0; i < p.length; i++) {
            int d = Math.abs(((p[i] >> 8) & 0xFF) - ((q[i] >> 8) & 0xFF));
            if (d > 24) {
                n++;
            }
        }
        return n;
    }
}
