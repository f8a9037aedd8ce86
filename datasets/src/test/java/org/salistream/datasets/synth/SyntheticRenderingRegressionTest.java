package org.salistream.datasets.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generator's output, pinned to the bit: a shipped model's training recipe and its held-out test seeds
 * name synthetic cases by seed, so a change to the renderer that moves one pixel of one frame (or one mask
 * bit) silently changes that data. Each case below hashes every frame's RGB pixels and mask, and the
 * per-pixel surface query of a few frames, with SHA-256; the constants were recorded from the renderer as it
 * was before it was split into geometry, shading and image sampling (commit "Synthetic rendering: pin the
 * output with SHA-256 regression hashes"). A deliberate change of the picture changes them, and says so in
 * its commit.
 *
 * <p>The cases cover every low-quality kind (checked below), both polyp shapes, cases without polyps, odd and
 * non-square frame sizes (the 2x2 shading blocks' last row and column) and SALI's 352x352.
 */
class SyntheticRenderingRegressionTest {

    private static final Set<Degradation> SEEN_KINDS = EnumSet.noneOf(Degradation.class);
    private static final Set<PolypShape> SEEN_SHAPES = EnumSet.noneOf(PolypShape.class);
    private static int framesRendered;
    private static long renderNanos;
    private static long pixelsRendered;

    static Stream<Arguments> cases() {
        SynthOptions sali =
                SynthOptions.builder().size(352, 352).frames(16).polyps(1, 3).build();
        SynthOptions small = SynthOptions.builder()
                .size(96, 80)
                .frames(30)
                .polyps(0, 3)
                .segmentsPerKind(2)
                .build();
        SynthOptions wide = SynthOptions.builder()
                .size(160, 120)
                .frames(24)
                .polyps(3, 3)
                .polypSize(0.3, 0.6)
                .build();
        SynthOptions odd =
                SynthOptions.builder().size(47, 33).frames(20).polyps(1, 2).build();
        SynthOptions none =
                SynthOptions.builder().size(64, 64).frames(12).polyps(0, 0).build();
        return Stream.of(
                Arguments.of(
                        "352x352 seed 1 case 1",
                        sali,
                        1L,
                        1,
                        "843695bec5a1dc2c6987b3cd72ebe21b3476757513ebd9fea1f08fdd684e9db5"),
                Arguments.of(
                        "352x352 seed 9 case 3",
                        sali,
                        9L,
                        3,
                        "f3777d61eded687271436db96ed213c56d736812565cf9079a3e3b87c55d9b73"),
                Arguments.of(
                        "96x80 seed 7 case 1",
                        small,
                        7L,
                        1,
                        "6f8bc0df548196673311862718b4570a1a72bd88327227b45193499f4fb963aa"),
                Arguments.of(
                        "96x80 seed 7 case 2",
                        small,
                        7L,
                        2,
                        "eb8919ede131e559a26dd8f073dc42c34e4e31bc78ec1e8ce53fa959aae8cbea"),
                Arguments.of(
                        "96x80 seed 42 case 5",
                        small,
                        42L,
                        5,
                        "fe2e1d46f20d49d029460ceeddcf69d963715b62a9f84565919cc3f71a36ce56"),
                Arguments.of(
                        "160x120 seed 2024 case 4",
                        wide,
                        2024L,
                        4,
                        "b78f01a1b25a28af17ce1d5eff502a0ce3a9bc8fd49a1c8967c9751eed12f569"),
                Arguments.of(
                        "160x120 seed -5 case 1",
                        wide,
                        -5L,
                        1,
                        "b5ac3377aa6b7f2f6e42e6c09abcb84112ec339e4a93d3ecae74a5043d65b0d2"),
                Arguments.of(
                        "47x33 seed 3 case 2",
                        odd,
                        3L,
                        2,
                        "1278b3b333ac357cfae5dbceb4d87cec62577f3f9c56910d171a96cf96657809"),
                Arguments.of(
                        "64x64 seed 11 case 1 without polyps",
                        none,
                        11L,
                        1,
                        "bc2d51c9c4c94b11a7aed3674adb1e59e24f401659488622bcae0702075b7ad7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyFrameAndMaskHashesToTheRecordedValue(
            String name, SynthOptions options, long seed, int caseNumber, String expected)
            throws NoSuchAlgorithmException {
        SyntheticCase c = new SyntheticProcedureGenerator(options, seed).generateCase(caseNumber);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        int w = options.width();
        int h = options.height();
        ByteBuffer row = ByteBuffer.allocate(4 * w);
        for (int f = 0; f < c.frameCount(); f++) {
            long t0 = System.nanoTime();
            SyntheticFrame frame = c.render(f);
            synchronized (SyntheticRenderingRegressionTest.class) {
                renderNanos += System.nanoTime() - t0;
                pixelsRendered += (long) w * h;
                framesRendered++;
                SEEN_KINDS.addAll(frame.info().degradations());
            }
            int[] rgb = ((DataBufferInt) frame.image().getRaster().getDataBuffer()).getData();
            for (int y = 0; y < h; y++) {
                row.clear();
                row.asIntBuffer().put(rgb, y * w, w);
                sha.update(row.array());
            }
            sha.update(frame.mask().pixels());
        }
        // The per-pixel geometry query (the mask's own path through the scene) on three frames.
        for (int f : new int[] {0, c.frameCount() / 2, c.frameCount() - 1}) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    sha.update((byte) c.surfaceAt(f, x, y));
                }
            }
        }
        synchronized (SyntheticRenderingRegressionTest.class) {
            c.polyps().forEach(p -> SEEN_SHAPES.add(p.shape()));
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        assertEquals(expected, actual, name + ": the synthetic frames or masks changed");
    }

    @Test
    void theCasesCoverEveryLowQualityKindAndBothPolypShapes() {
        cases().forEach(a -> {
            Object[] args = a.get();
            SynthOptions o = (SynthOptions) args[1];
            SyntheticCase c = new SyntheticProcedureGenerator(o, (Long) args[2]).generateCase((Integer) args[3]);
            for (int f = 0; f < c.frameCount(); f++) {
                SEEN_KINDS.addAll(c.degradations(f));
            }
            c.polyps().forEach(p -> SEEN_SHAPES.add(p.shape()));
        });
        assertEquals(EnumSet.allOf(Degradation.class), SEEN_KINDS);
        assertEquals(EnumSet.allOf(PolypShape.class), SEEN_SHAPES);
    }

    /** Rendering speed, for comparing renderer changes on one machine (not asserted: machines differ). */
    @AfterAll
    static void reportSpeed() {
        if (framesRendered > 0) {
            double s = renderNanos / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "synthetic rendering: %d frames, %.1f Mpixel in %.2f s: %.1f Mpixel/s%n",
                    framesRendered,
                    pixelsRendered / 1e6,
                    s,
                    pixelsRendered / 1e6 / s);
        }
    }
}
