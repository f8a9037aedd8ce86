package org.salistream.datasets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sali synth} then {@code sali eval} on its output, as a user runs them. */
class DatasetCommandsTest {

    @TempDir
    Path dir;

    private record Run(int rc, String out, String err) {}

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void synthWritesAProcedureThatEvalScoresPerfectlyAgainstItsOwnMasks() throws IOException {
        Run synth = run(
                new SynthCommand(),
                "--out",
                dir.resolve("data").toString(),
                "--cases",
                "2",
                "--frames",
                "5",
                "--seed",
                "4",
                "--size",
                "64x48",
                "--polyps",
                "1-2",
                "--video");
        assertEquals(0, synth.rc(), synth.err());
        assertTrue(synth.out().contains("wrote 2 case(s) x 5 frames (64x48)"), synth.out());
        assertTrue(synth.out().contains("videos: h264 (libopenh264)")
                || synth.out().contains("videos: mpeg4"));
        assertTrue(synth.err().contains("synth: case2: 5/5 frames"), synth.err());
        Path split = dir.resolve("data/Synth");
        assertTrue(Files.size(split.resolve("Video/case1.mp4")) > 0);
        assertEquals(5, Files.list(split.resolve("GT/case2")).count());

        // Predictions = the ground truth itself, in the toolbox's layout.
        copyTree(split.resolve("GT"), dir.resolve("pred/Oracle/Synth"));
        Path csv = dir.resolve("scores.csv");
        Run eval = run(
                new EvalCommand(),
                "--gt-root",
                dir.resolve("data").toString(),
                "--pred-root",
                dir.resolve("pred").toString(),
                "--split",
                "Synth",
                "--metrics",
                "MAE,maxDice,Smeasure",
                "--csv",
                csv.toString());
        assertEquals(0, eval.rc(), eval.err());
        List<String> lines = eval.out().lines().toList();
        assertEquals("Synth\tMAE\t0.000000", lines.get(0));
        assertEquals("Synth\tmaxDice\t1.000000", lines.get(1));
        assertTrue(lines.get(2).startsWith("Synth\tSmeasure\t"), lines.get(2));
        assertTrue(eval.out().matches("(?s).*\\|\\s+Synth\\s+\\|\\s+Oracle\\s+\\|.*"), eval.out());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("split,model,metric,value", rows.get(0));
        assertEquals("Synth,Oracle,maxDice,1.000000", rows.get(2));
    }

    @Test
    void badArgumentsGetClearMessages() throws IOException {
        Run size = run(new SynthCommand(), "--out", dir.toString(), "--size", "64by48");
        assertEquals(2, size.rc());
        assertTrue(size.err().contains("--size expects AxB"), size.err());

        Path gt = dir.resolve("gt/S/GT/1");
        Files.createDirectories(gt);
        for (int i = 1; i <= 3; i++) {
            org.salistream.datasets.ImageFiles.writePng(
                    gt.resolve(i + ".png"),
                    org.salistream.datasets.GrayImage.blank(4, 4).toBufferedImage());
        }
        Files.createDirectories(dir.resolve("pred/M/S/1"));
        Run missing = run(
                new EvalCommand(),
                "--gt-root",
                dir.resolve("gt").toString(),
                "--pred-root",
                dir.resolve("pred").toString(),
                "--split",
                "S");
        assertEquals(2, missing.rc());
        assertTrue(missing.err().contains("prediction missing for 1/2.png"), missing.err());

        Run metric = run(
                new EvalCommand(),
                "--gt-root",
                dir.resolve("gt").toString(),
                "--pred-root",
                dir.resolve("pred").toString(),
                "--split",
                "S",
                "--metrics",
                "dice");
        assertEquals(2, metric.rc());
        assertTrue(metric.err().contains("unknown metric 'dice'"), metric.err());
    }

    @Test
    void decimalsRoundTheExactBinaryValueHalfToEvenAsPython() {
        assertEquals("0.125000", EvalCommand.decimals(0.125, 6));
        assertEquals("0.1", EvalCommand.decimals(0.15, 1)); // 0.1499999999999999944...
        assertEquals("-0.000000", EvalCommand.decimals(-1e-9, 6));
        assertEquals("nan", EvalCommand.decimals(Double.NaN, 6));
    }
}
