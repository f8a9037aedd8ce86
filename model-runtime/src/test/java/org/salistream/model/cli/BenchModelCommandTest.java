package org.salistream.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sali bench model} runs end to end on a tiny clip (not a timing: the numbers are not checked, only
 * that the loops ran, agreed, and were reported as a table and JSON lines), profiles per block, and refuses
 * bad options with a message.
 */
class BenchModelCommandTest {

    private record Result(int code, String out, String err) {}

    private static Result bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cmd = new picocli.CommandLine(new BenchModelCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void bothLoopsRunAndAreReportedAsATable() {
        // --threads 0 leaves the engine's threads to the test JVM.
        Result r = bench(
                "--backbones",
                "pvt_v2_b0",
                "--size",
                "256",
                "--frames",
                "3",
                "--warmup",
                "0",
                "--threads",
                "0",
                "--procedures",
                "2");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("UNTRAINED weights"), r.out());
        assertTrue(r.out().contains("| pvt_v2_b0 | streaming (encode once) |"), r.out());
        assertTrue(r.out().contains("| pvt_v2_b0 | naive (two encodes) |"), r.out());
        assertTrue(r.out().contains("| pvt_v2_b0 | batched, 2 procedures per call |"), r.out());
        // Streaming and naive loops see the same features, so their logits are identical.
        assertTrue(r.out().contains("loops' logits agree to 0.0"), r.out());
        assertTrue(r.out().contains(" bytes (1 frame)"), "frame 0 is the only one added with mem-freq 5: " + r.out());
        List<JsonNode> lines = jsonLines(r.out(), "model");
        assertEquals(3, lines.size(), r.out());
        for (JsonNode j : lines) {
            assertTrue(j.get("median_ms").asDouble() > 0 && j.get("fps").asDouble() > 0, j.toString());
            assertTrue(j.get("vs_published").isNull(), "no published loop in this run: " + j);
        }
    }

    @Test
    void theProfileCountsOpsAndFlopsPerBlock() {
        Result r = bench(
                "--backbones",
                "pvt_v2_b0",
                "--size",
                "256",
                "--frames",
                "3",
                "--warmup",
                "0",
                "--threads",
                "0",
                "--profile");
        assertEquals(0, r.code(), r.err() + r.out());
        Map<String, JsonNode> blocks = new HashMap<>();
        jsonLines(r.out(), "model-profile")
                .forEach(j -> blocks.put(j.get("block").asText(), j));
        for (String b : new String[] {
            "encode / encoder stage 1",
            "encode / rfb 1/8",
            "segment / memory read 1/8",
            "segment / align memory + neighbour / l1 (1/8) / deform conv",
            "segment / non-local 1/8",
            "segment / decoder NCD"
        }) {
            JsonNode j = blocks.get(b);
            assertTrue(j != null, b + " missing from " + blocks.keySet());
            assertTrue(j.get("ops").asLong() > 0 && j.get("ms").asDouble() > 0, j.toString());
        }
        // The stage-1 convolutions (patch embedding, spatial reduction, depth-wise) and its matrix products.
        assertTrue(blocks.get("encode / encoder stage 1").get("gflop").asDouble() > 0.1, r.out());
        // The deformable convolution is one TorchScript call: a handful of ops, not dozens.
        assertTrue(
                blocks.get("segment / align memory + neighbour / l1 (1/8) / deform conv")
                                .get("ops")
                                .asLong()
                        <= 3,
                r.out());
        long whole = blocks.get("segment").get("ops").asLong();
        long parts = blocks.entrySet().stream()
                .filter(e -> e.getKey().startsWith("segment / ") && e.getKey().indexOf(" / ", 10) < 0)
                .mapToLong(e -> e.getValue().get("ops").asLong())
                .sum();
        assertTrue(parts <= whole, "children count within their parent: " + parts + " of " + whole);
        assertTrue(r.out().contains("busiest ATen operators"), r.out());
    }

    private static List<JsonNode> jsonLines(String out, String bench) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    JsonNode j = new ObjectMapper().readTree(line);
                    if (bench.equals(j.get("bench").asText())) {
                        lines.add(j);
                    }
                } catch (java.io.IOException e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }
        }
        return lines;
    }

    @Test
    void badOptionsAreRefusedWithAMessage() {
        Result r = bench("--backbones", "pvt_v2_b7", "--threads", "0");
        assertEquals(CommandErrors.USER_ERROR, r.code());
        assertTrue(r.err().startsWith("sali bench model: unknown backbone 'pvt_v2_b7'"), r.err());
        r = bench("--frames", "1", "--threads", "0");
        assertEquals(CommandErrors.USER_ERROR, r.code());
        assertTrue(r.err().contains("--frames must be >= 2"), r.err());
        r = bench("--procedures", "0", "--threads", "0");
        assertEquals(CommandErrors.USER_ERROR, r.code());
        assertTrue(r.err().contains("--procedures >= 1"), r.err());
        r = bench("--published", "/nonexistent", "--published-tools", "/nonexistent", "--threads", "0");
        assertEquals(CommandErrors.USER_ERROR, r.code());
        assertTrue(r.err().contains("holds no bench_official.py"), r.err());
        r = bench("--size", "100", "--threads", "0");
        assertEquals(CommandErrors.USER_ERROR, r.code());
        assertTrue(r.err().contains("multiple of 32"), r.err());
    }
}
