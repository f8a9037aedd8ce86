package org.salistream.datasets.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salistream.datasets.cli.EvalCommand;
import org.salistream.ops.testing.Golden;
import picocli.CommandLine;

/**
 * Parity with the published evaluator: {@code sali eval} on the golden set ({@code eval-vps/}) prints
 * every metric of {@code expected.tsv} (what {@code eval_engine_vps} reports) to 1e-6.
 */
class EvalGoldenParityTest {

    private static Map<String, Double> expected(Path tsv) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                String[] f = line.split("\t");
                out.put(f[0] + "\t" + f[1], Double.parseDouble(f[2]));
            }
        }
        return out;
    }

    @Test
    void evalCommandReproducesTheToolboxOnTheGoldenSet() throws IOException {
        Path root = Golden.require("eval-vps");
        Map<String, Double> expected = expected(root.resolve("expected.tsv"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new EvalCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int rc = cmd.execute(
                "--gt-root",
                root.resolve("gt").toString(),
                "--pred-root",
                root.resolve("pred").toString(),
                "--split",
                "TestEasyDataset/Seen");
        assertEquals(0, rc, err.toString());
        Map<String, Double> printed = new LinkedHashMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 3) {
                printed.put(f[0] + "\t" + f[1], Double.parseDouble(f[2]));
            }
        }
        assertEquals(expected.keySet(), printed.keySet(), "metric lines in the toolbox's order");
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            assertEquals(e.getValue(), printed.get(e.getKey()), 1e-6, e.getKey());
        }
        assertTrue(out.toString().contains("| TestEasyDataset-Seen |"), "the readable table follows");
    }

    @Test
    void evaluatorValuesAgreeUnroundedWithinHalfAMicro() throws IOException {
        Path root = Golden.require("eval-vps");
        Map<String, Double> expected = expected(root.resolve("expected.tsv"));
        VpsScores s = new VpsEvaluator(List.of(VpsMetric.values()))
                .evaluate(root.resolve("gt"), root.resolve("pred"), "Mine", "TestEasyDataset/Seen");
        assertEquals(3, s.cases());
        assertEquals(18, s.frames(), "8 frames per case minus the first and last");
        for (VpsMetric m : VpsMetric.values()) {
            // expected.tsv is rounded to six decimals, so the unrounded value is within 5e-7 of it.
            assertEquals(
                    expected.get("TestEasyDataset/Seen\t" + m.toolboxName()),
                    s.value(m),
                    5.0000001e-7,
                    m.toolboxName());
        }
    }

    @Test
    void streamingTheGoldenFramesInToolboxOrderGivesIdenticalNumbers() throws IOException {
        Path root = Golden.require("eval-vps");
        String split = "TestEasyDataset/Seen";
        VpsScores batch = new VpsEvaluator(List.of(VpsMetric.values()))
                .evaluate(root.resolve("gt"), root.resolve("pred"), "Mine", split);
        StreamingEvaluator stream = new StreamingEvaluator(split, "Mine");
        Path gtSrc = root.resolve("gt").resolve(split).resolve("GT");
        for (String c : VpsEvaluator.caseNames(gtSrc)) {
            List<String> frames = VpsEvaluator.framesInToolboxOrder(gtSrc.resolve(c), c);
            for (int i = 0; i < frames.size(); i++) {
                stream.add(
                        c,
                        i,
                        org.salistream.datasets.GrayImage.read(gtSrc.resolve(c).resolve(frames.get(i))),
                        org.salistream.datasets.GrayImage.read(root.resolve("pred")
                                .resolve("Mine")
                                .resolve(split)
                                .resolve(c)
                                .resolve(frames.get(i))));
            }
        }
        VpsScores streamed = stream.result();
        assertEquals(batch.frames(), streamed.frames());
        for (VpsMetric m : VpsMetric.values()) {
            assertEquals(batch.value(m), streamed.value(m), 0.0, m.toolboxName()); // bit-identical
        }
    }
}
