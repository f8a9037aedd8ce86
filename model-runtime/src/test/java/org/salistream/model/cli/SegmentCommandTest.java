package org.salistream.model.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.salistream.model.ModelConfig;
import org.salistream.model.testing.GoldenClips;
import org.salistream.model.testing.Parity;
import org.salistream.ops.io.Npy;
import org.salistream.ops.io.NpyArray;
import org.salistream.ops.testing.Golden;
import picocli.CommandLine;

/**
 * {@code sali segment} on the golden clips, run in-process as a user runs it: the published model's logits
 * of every frame (the {@code .npy} files of {@code --save-logits}) within the golden tolerances, and the
 * 8-bit maps within one grey level of what the published {@code test_video.py} writes
 * ({@code np.uint8(prob * 255)} of the min-max normalised probability).
 */
@Tag("float-parity")
class SegmentCommandTest {

    @TempDir
    Path out;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {GoldenClips.PUBLISHED, GoldenClips.EVICT})
    void segmentWritesThePublishedLogitsAndMaps(String folder) throws Exception {
        Path dir = Golden.require(folder);
        ModelConfig c = GoldenClips.config(dir);
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new SegmentCommand());
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(
                "--weights",
                dir.resolve("weights.pth").toString(),
                "--backbone",
                c.backbone().name(),
                "--size",
                Integer.toString(c.size()),
                "--mem-freq",
                Integer.toString(c.memFreq()),
                "--mem-length",
                Integer.toString(c.memLength()),
                "--top-k",
                Integer.toString(c.topK()),
                "--input",
                dir.resolve("frames").toString(),
                "--out",
                out.toString(),
                "--save-logits");
        assertEquals(0, code, err.toString());

        Map<String, NpyArray> expected = Golden.npz(folder + "/expected.npz");
        List<Path> frames = GoldenClips.framePaths(dir);
        int s = c.size();
        int worstGrey = 0;
        for (int i = 0; i < frames.size(); i++) {
            String stem = frames.get(i).getFileName().toString().replace(".png", "");
            NpyArray logits = Npy.read(out.resolve("logits").resolve(stem + ".npy"));
            Parity.assertClose("logits_" + i, expected.get("logits_" + i), logits.toFloatArray(), logits.shape());

            BufferedImage map = ImageIO.read(out.resolve(stem + ".png").toFile());
            assertEquals(s, map.getWidth(), stem + ".png width");
            assertEquals(s, map.getHeight(), stem + ".png height");
            assertEquals(1, map.getRaster().getNumBands(), stem + ".png is greyscale");
            float[] prob = expected.get("prob_" + i).toFloatArray();
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int published = (int) (prob[y * s + x] * 255f); // numpy's uint8 cast truncates
                    int grey = map.getRaster().getSample(x, y, 0);
                    worstGrey = Math.max(worstGrey, Math.abs(grey - published));
                }
            }
        }
        assertTrue(
                worstGrey <= 1,
                "maps differ from the published uint8(prob*255) by up to " + worstGrey + " grey levels");
        assertArrayEquals(
                new long[] {1, 1, s, s},
                Npy.read(out.resolve("logits").resolve("0000.npy")).shape());
        String log = err.toString();
        assertTrue(log.contains(frames.size() + "/" + frames.size() + " frames"), "progress shown: " + log);
        assertTrue(log.contains("wrote " + frames.size() + " maps"), log);
        assertFalse(log.contains("Exception"), log);
        System.out.printf(
                "%s: %d frames through sali segment, maps within %d grey level(s)%n", folder, frames.size(), worstGrey);
    }
}
