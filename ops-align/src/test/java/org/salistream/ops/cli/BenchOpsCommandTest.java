package org.salistream.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link BenchOpsCommand} runs end to end with one timed call per case and rejects bad options. */
class BenchOpsCommandTest {

    private static final Pattern DCN_LINE = Pattern.compile(
            "dcn forward +1x32x44x44 k3 G8 +median +[0-9.]+ ms +p90 +[0-9.]+ ms \\| conv2d median +[0-9.]+ ms"
                    + " +p90 +[0-9.]+ ms \\| ratio +[0-9.]+x");

    @Test
    void oneTimedCallPerCasePrintsEveryCaseWithItsConvRatio() {
        StringWriter out = new StringWriter();
        int rc = new CommandLine(new BenchOpsCommand())
                .setOut(new PrintWriter(out))
                .execute("--iterations", "1", "--warmup", "0", "--dtype", "float64");
        String text = out.toString();
        assertEquals(0, rc, text);
        assertTrue(text.contains("dtype float64"), text);
        assertTrue(DCN_LINE.matcher(text).find(), text);
        assertTrue(text.contains("dcn forward     1x32x22x22") && text.contains("dcn forward     1x32x11x11"), text);
        assertTrue(text.contains("dcn inference   1x32x44x44"), text);
        assertEquals(6, text.lines().filter(l -> l.startsWith("resample ")).count(), text);
        assertEquals(12, text.split("\\{\"bench\":\"ops\"", -1).length - 1, "one JSON line per case: " + text);
    }

    @Test
    void anUnknownDtypeIsAUsageError() {
        StringWriter err = new StringWriter();
        int rc = new CommandLine(new BenchOpsCommand())
                .setErr(new PrintWriter(err))
                .execute("--dtype", "int8");
        assertEquals(2, rc);
        assertTrue(err.toString().contains("--dtype must be float32 or float64, got int8"), err.toString());
    }
}
