package org.salistream.model.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code sali bench model} prints about its loops: a line per backbone as it finishes, then one table
 * (medians and 90th percentiles, ratios within the run) and one JSON line per loop and backbone.
 */
final class BenchReport {

    private final int size;
    private final int threads;
    private final List<String> table = new ArrayList<>();
    private final List<String> json = new ArrayList<>();

    BenchReport(int size, int threads) {
        this.size = size;
        this.threads = threads;
    }

    /**
     * Reports one backbone's loops.
     *
     * @param loops streaming, naive and (optionally) batched, as {@link BenchLoops#lockstep} returns them
     * @param publishedMs the published loop's median ms per frame in this run, or null
     */
    void add(PrintWriter out, String backbone, BenchLoops.LoopTimes[] loops, Double publishedMs) {
        BenchLoops.LoopTimes s = loops[0];
        BenchLoops.LoopTimes n = loops[1];
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int held = s.memory().frames();
        String bank =
                String.format(Locale.ROOT, "%d bytes (%d frame%s)", s.memory().byteSize(), held, held == 1 ? "" : "s");
        out.printf(
                Locale.ROOT,
                "%s  streaming: encode %s, rest %s, total %s ms; naive: encode %s, rest %s, total %s"
                        + " ms; naive/streaming %.2fx (median total), %.2fx (clip); bank %s; loops' logits agree"
                        + " to %.2g%n",
                backbone,
                s.encode().format(),
                s.rest().format(),
                s.total().format(),
                n.encode().format(),
                n.rest().format(),
                n.total().format(),
                n.total().median() / s.total().median(),
                n.wallMs() / s.wallMs(),
                bank,
                BenchLoops.maxDiff(s.logits(), n.logits()));
        if (loops.length > 2) {
            out.printf(
                    Locale.ROOT,
                    "%s  batched: encode %s, rest %s, total %s ms per frame; its first procedure's"
                            + " logits agree with the streaming loop's to %.2g%n",
                    backbone,
                    loops[2].encode().format(),
                    loops[2].rest().format(),
                    loops[2].total().format(),
                    BenchLoops.maxDiff(s.logits(), loops[2].logits()));
        }
        if (publishedMs != null) {
            out.printf(Locale.ROOT, "%s  published loop (PyTorch): median %.1f ms per frame%n", backbone, publishedMs);
            row(backbone, "published test_video.py loop (PyTorch)", null, publishedMs, null, publishedMs, "", load);
        }
        row(
                backbone,
                "streaming (encode once)",
                s,
                s.total().median(),
                s.total().median(),
                publishedMs,
                bank,
                load);
        row(backbone, "naive (two encodes)", n, n.total().median(), s.total().median(), publishedMs, bank, load);
        if (loops.length > 2) {
            row(
                    backbone,
                    "batched, " + loops[2].procedures() + " procedures per call",
                    loops[2],
                    loops[2].total().median(),
                    s.total().median(),
                    publishedMs,
                    bank,
                    load);
        }
        // Other processes on the machine show up as outliers (p90); the load says whether there were any.
        out.printf(
                Locale.ROOT,
                "%s: system load average %.2f on %d cores%n",
                backbone,
                load,
                Runtime.getRuntime().availableProcessors());
        out.flush();
    }

    private void row(
            String backbone,
            String loop,
            BenchLoops.LoopTimes t,
            double medianMs,
            Double streamingMs,
            Double publishedMs,
            String bank,
            double load) {
        String vsStreaming =
                streamingMs == null || t == null ? "" : String.format(Locale.ROOT, "%.2fx", streamingMs / medianMs);
        String vsPublished = publishedMs == null ? "" : String.format(Locale.ROOT, "%.2fx", publishedMs / medianMs);
        if (t == null) {
            table.add(String.format(
                    Locale.ROOT,
                    "| %s | %s | | | %.1f | | %.2f | | 1.00x | |",
                    backbone,
                    loop,
                    medianMs,
                    1000 / medianMs));
        } else {
            table.add(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %.1f | %.2f | %s | %s | %s |",
                    backbone,
                    loop,
                    t.encode().format(),
                    t.rest().format(),
                    t.total().format(),
                    t.wallMs() / t.count(),
                    1000 / medianMs,
                    vsStreaming,
                    vsPublished,
                    bank));
        }
        json.add(String.format(
                Locale.ROOT,
                "{\"bench\":\"model\",\"backbone\":\"%s\",\"loop\":\"%s\",\"size\":%d,"
                        + "\"threads\":%d,\"median_ms\":%.2f,\"p90_ms\":%s,\"fps\":%.3f,\"vs_published\":%s,\"load\":%.2f}",
                backbone,
                loop,
                size,
                threads,
                medianMs,
                t == null
                        ? "null"
                        : String.format(Locale.ROOT, "%.2f", t.total().p90()),
                1000 / medianMs,
                publishedMs == null ? "null" : String.format(Locale.ROOT, "%.3f", publishedMs / medianMs),
                load));
    }

    /** The table and the JSON lines; nothing when no loop ran (a profile). */
    void print(PrintWriter out) {
        if (table.isEmpty()) {
            return;
        }
        out.println();
        out.println(
                "| backbone | loop | encode ms (median / p90) | rest ms (median / p90) | total ms (median / p90)"
                        + " | clip ms per frame | fps (median) | streaming / this | x published fps | memory bank after the clip |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        table.forEach(out::println);
        out.println();
        json.forEach(out::println);
        out.flush();
    }
}
