package org.salistream.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code sali bench model} runs end to end on a tiny clip (not a timing: the numbers are not checked, only
 * that both loops ran, agreed, and were reported), and refuses bad options with a message.
 */
class ModelBenchCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cmd = new picocli.CommandLine(new ModelBenchCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void bothLoopsRunAndAreReportedAsATable() {
        // --threads 0 leaves the engine's threads to the test JVM.
        Result r = bench("--backbones", "pvt_v2_b0", "--size", "256", "--frames", "3", "--warmup", "0",
                "--threads", "0");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("UNTRAINED weights"), r.out());
        assertTrue(r.out().contains("| pvt_v2_b0 | streaming (encode once) |"), r.out());
        assertTrue(r.out().contains("| pvt_v2_b0 | naive (two encodes) |"), r.out());
        // Streaming and naive loops see the same features, so their logits are identical.
        assertTrue(r.out().contains("loops' logits agree to 0.0"), r.out());
        assertTrue(r.out().contains(" bytes (1 frame)"), "frame 0 is the only one added with mem-freq 5: " + r.out());
    }

    @Test
    void badOptionsAreRefusedWithAMessage() {
        Result r = bench("--backbones", "pvt_v2_b7", "--threads", "0");
        assertEquals(CommandErrors.USER_ERROR, r.code());
        assertTrue(r.err().startsWith("sali bench model: unknown backbone 'pvt_v2_b7'"), r.err());
        r = bench("--frames", "1", "--threads", "0");
        assertEquals(CommandErrors.USER_ERROR, r.code());
        assertTrue(r.err().contains("--frames must be >= 2"), r.err());
        r = bench("--size", "100", "--threads", "0");
        assertEquals(CommandErrors.USER_ERROR, r.code());
        assertTrue(r.err().contains("multiple of 32"), r.err());
    }
}
