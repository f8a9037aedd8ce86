package org.salistream.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.model.checkpoint.ModelCard;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.Sha256;
import org.salistream.model.checkpoint.ShippedModel;
import org.salistream.model.image.RgbImage;
import org.salistream.model.testing.GoldenClips;
import org.salistream.model.testing.UntrainedCheckpoint;
import org.salistream.ops.testing.Golden;
import picocli.CommandLine;

/**
 * {@code sali segment} on bad input ends with exit code 1 and one line {@code sali segment: <what is
 * wrong>} on stderr, never a stack trace: an undecodable frame, frames of different sizes, a broken or
 * foreign checkpoint, a bad option value, an empty or missing input folder. Weights: an untrained native
 * checkpoint, so that these run without the golden data (except the golden checkpoint cases).
 */
class SegmentCommandErrorsTest {

    @TempDir
    Path tmp;

    private record Result(int code, String err) {}

    private Result segment(Path weights, Path input, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--weights",
                weights.toString(),
                "--input",
                input.toString(),
                "--out",
                tmp.resolve("out").toString()));
        args.addAll(Arrays.asList(more));
        // The checkpoint's settings, unless the case gives its own.
        if (!args.contains("--backbone")) {
            args.addAll(List.of("--backbone", "pvt_v2_b0"));
        }
        if (!args.contains("--size")) {
            args.addAll(List.of("--size", "256"));
        }
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new SegmentCommand());
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args.toArray(String[]::new));
        return new Result(code, err.toString());
    }

    /** Exit code 1 and a {@code sali segment:} line holding every part; no stack trace. */
    private static void assertUserError(Result r, String... parts) {
        System.out.print(r.err());
        assertEquals(CommandErrors.USER_ERROR, r.code(), r.err());
        String line = r.err()
                .lines()
                .filter(l -> l.startsWith("sali segment: ") && !l.contains(" frames from "))
                .reduce((a, b) -> b)
                .orElse("");
        for (String p : parts) {
            assertTrue(r.err().contains(p), "expected '" + p + "' in: " + r.err());
        }
        assertFalse(line.isEmpty(), "a 'sali segment: <message>' line: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    }

    private Path frames(String dir, RgbImage... images) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        for (int i = 0; i < images.length; i++) {
            ImageIO.write(
                    images[i].toBufferedImage(),
                    "png",
                    d.resolve(String.format("%04d.png", i)).toFile());
        }
        return d;
    }

    private static RgbImage image(int w, int h) {
        return GoldenClips.synthetic(1, w, h, w * 31L + h).get(0);
    }

    @Test
    void aValidClipSegmentsWithTheUntrainedCheckpoint() throws IOException {
        Path in = frames("ok", image(96, 64), image(96, 64));
        Result r = segment(UntrainedCheckpoint.folder(), in);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(tmp.resolve("out").resolve("0001.png")));
        // Maps come back at the frame size, not the model size.
        assertEquals(
                96,
                ImageIO.read(tmp.resolve("out").resolve("0000.png").toFile()).getWidth());
    }

    @Test
    void anUndecodableFrameIsNamedAndFailsTheCommand() throws IOException {
        Path in = frames("garbage", image(64, 48), image(64, 48));
        byte[] noise = new byte[2000];
        new Random(3).nextBytes(noise);
        Files.write(in.resolve("0002.png"), noise);
        assertUserError(segment(UntrainedCheckpoint.folder(), in), "0002.png", "not a JPEG or PNG image");
    }

    @Test
    void aTruncatedPngIsNamed() throws IOException {
        Path in = frames("cut", image(64, 48), image(64, 48));
        byte[] whole = Files.readAllBytes(in.resolve("0001.png"));
        Files.write(in.resolve("0001.png"), Arrays.copyOf(whole, whole.length / 2));
        assertUserError(segment(UntrainedCheckpoint.folder(), in), "0001.png");
    }

    @Test
    void framesOfDifferentSizesInOneClipNameBothSizes() throws IOException {
        Path in = frames("sizes", image(64, 48), image(64, 48), image(80, 48));
        assertUserError(segment(UntrainedCheckpoint.folder(), in), "0002.png", "80x48", "64x48", "0000.png");
    }

    @Test
    void anEmptyOrMissingInputFolderSaysSo() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertUserError(segment(UntrainedCheckpoint.folder(), empty), "no .png/.jpg/.jpeg frames");
        assertUserError(segment(UntrainedCheckpoint.folder(), tmp.resolve("nowhere")), "nowhere", "no such folder");
    }

    @Test
    void badOptionValuesAreExplained() throws IOException {
        Path in = frames("opts", image(64, 48));
        assertUserError(
                segment(UntrainedCheckpoint.folder(), in, "--backbone", "pvt_v2_b9"), "unknown backbone", "pvt_v2_b9");
        assertUserError(segment(UntrainedCheckpoint.folder(), in, "--size", "128"), "at least 256", "128");
        assertUserError(segment(UntrainedCheckpoint.folder(), in, "--size", "300"), "multiple of 32", "300");
        assertUserError(segment(UntrainedCheckpoint.folder(), in, "--neighbor", "sideways"), "next", "previous");
        assertUserError(segment(UntrainedCheckpoint.folder(), in, "--mem-freq", "0"), "must be positive");
    }

    @Test
    void withoutWeightsTheShippedModelRunsAndSaysWhichItIs() throws IOException {
        Path in = frames("noweights", image(64, 48), image(64, 48));
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new SegmentCommand());
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(
                "--input", in.toString(), "--out", tmp.resolve("out").toString());
        System.out.print(err);
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("the shipped model " + ShippedModel.NAME), err.toString());
        assertTrue(err.toString().contains("NOT for clinical use"), err.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("out").resolve("0001.png")));
    }

    @Test
    void untrainedWeightsRunOnlyWhenAskedForAndSaySo() throws IOException {
        Path in = frames("untrained", image(64, 48), image(64, 48));
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new SegmentCommand());
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(
                "--weights",
                "untrained",
                "--backbone",
                "pvt_v2_b0",
                "--size",
                "256",
                "--input",
                in.toString(),
                "--out",
                tmp.resolve("out").toString());
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("UNTRAINED weights"), err.toString());
    }

    @Test
    void aTruncatedNativeCheckpointIsRefused() throws IOException {
        Path in = frames("truncated", image(64, 48));
        Path copy = UntrainedCheckpoint.copyTo(tmp.resolve("truncated-ckpt"));
        Path params = copy.resolve(NativeCheckpoint.PARAMS);
        byte[] all = Files.readAllBytes(params);
        Files.write(params, Arrays.copyOf(all, all.length / 2));
        assertUserError(segment(copy, in), "model.params", "truncated file");
    }

    @Test
    void aModelCardWhoseDigestDoesNotMatchItsFileIsRefused() throws IOException {
        Path in = frames("card", image(64, 48));
        Path copy = UntrainedCheckpoint.copyTo(tmp.resolve("carded"));
        String good = Sha256.ofFile(copy.resolve(NativeCheckpoint.PARAMS));
        String bad = (good.charAt(0) == '0' ? "1" : "0") + good.substring(1);
        Files.writeString(copy.resolve(ModelCard.FILE), "# card\n```\n" + bad + "  model.params\n```\n");
        assertUserError(segment(copy, in), "does not match the model card", bad);
        Files.writeString(copy.resolve(ModelCard.FILE), "# card\n```\n" + good + "  model.params\n```\n");
        assertEquals(0, segment(copy, in).code(), "the card with the right digest loads");
    }

    @Test
    void aNativeCheckpointForAnotherBackboneIsRefused() throws IOException {
        Path in = frames("b1", image(64, 48));
        Result r = segment(UntrainedCheckpoint.folder(), in, "--backbone", "pvt_v2_b1");
        assertUserError(r, "pvt_v2_b0", "pvt_v2_b1", "--backbone");
    }

    @Test
    void aRandomMissingOrFolderCheckpointFailsWithItsReason() throws IOException {
        Path in = frames("ckpt", image(64, 48));
        byte[] noise = new byte[5000];
        new Random(5).nextBytes(noise);
        Path random = Files.write(tmp.resolve("random.pth"), noise);
        assertUserError(segment(random, in), "random.pth", "not a PyTorch checkpoint");
        assertUserError(segment(tmp.resolve("none.pth"), in), "none.pth", "no such checkpoint file");
        assertUserError(segment(Files.createDirectories(tmp.resolve("folder")), in), "without model.json");
    }

    @Test
    void theGoldenCheckpointCutShortOrForAnotherBackboneFailsWithItsReason() throws IOException {
        Path in = frames("golden", image(64, 48));
        Path golden = Golden.require(GoldenClips.EVICT + "/weights.pth");
        byte[] head;
        try (InputStream s = Files.newInputStream(golden)) {
            head = s.readNBytes((int) (Files.size(golden) / 3));
        }
        Path cut = Files.write(tmp.resolve("cut.pth"), head);
        assertUserError(segment(cut, in), "cut.pth", "truncated or corrupt zip");
        assertUserError(segment(golden, in, "--backbone", "pvt_v2_b1"), "pvt_v2_b0", "pvt_v2_b1");
    }
}
