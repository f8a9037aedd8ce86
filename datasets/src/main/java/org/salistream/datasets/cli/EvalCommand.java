package org.salistream.datasets.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.salistream.datasets.SunSegLayout;
import org.salistream.datasets.eval.AlertLog;
import org.salistream.datasets.eval.DetectionMetrics;
import org.salistream.datasets.eval.FrameTruth;
import org.salistream.datasets.eval.VpsEvaluator;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.datasets.eval.VpsScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sali eval}: the published VPS evaluation ({@code eval_engine_vps}) of one model's predictions on
 * one split, in the toolbox's folder layout. Prints {@code split<TAB>metric<TAB>value} (six decimals) per
 * metric, then a table like the toolbox's (three decimals); progress goes to standard error.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate video polyp segmentation predictions exactly as the PNS+/SUN-SEG toolbox",
            "(eval_engine_vps): per case without its first and last frame, mean over cases, then max or",
            "mean over 256 thresholds.",
            "Layout: <gt-root>/<split>/GT/<case>/<frame>.png and <pred-root>/<model>/<split>/<case>/<frame>.png",
            "With --alerts FILE.jsonl: the detection metrics of an alert stream against the ground truth instead."
        })
public final class EvalCommand implements Callable<Integer> {

    private final AlertLog alertLog;

    /** The command without an alert reader ({@code --alerts} then fails, saying so). */
    public EvalCommand() {
        this(null);
    }

    /** The command reading {@code --alerts} files with {@code alertLog}. */
    public EvalCommand(AlertLog alertLog) {
        this.alertLog = alertLog;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--gt-root", required = true, paramLabel = "DIR", description = "Ground-truth root.")
    Path gtRoot;

    @Option(names = "--pred-root", paramLabel = "DIR", description = "Prediction root (not with --alerts).")
    Path predRoot;

    @Option(
            names = "--alerts",
            paramLabel = "FILE.jsonl",
            description = "Alert events, one JSON per line as on the alerts topic (sali tail --topic alerts, or the"
                    + " demo's alerts.jsonl): prints sensitivity per polyp appearance, first-detection latency and"
                    + " false alerts per minute of polyp-free video against <gt-root>/<split>.")
    Path alerts;

    @Option(
            names = "--fps",
            defaultValue = "25",
            description = "Source frame rate for --alerts (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(
            names = "--merge-gap",
            defaultValue = "" + DetectionMetrics.DEFAULT_MERGE_GAP,
            paramLabel = "FRAMES",
            description = "--alerts: a polyp out of view for at most this many frames stays one appearance"
                    + " (default: ${DEFAULT-VALUE}).")
    int mergeGap;

    @Option(names = "--split", required = true, paramLabel = "NAME", description = "Split, e.g. TestEasyDataset/Seen.")
    String split;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description = "Model folder under the prediction root (default: the only one that has the split).")
    String model;

    @Option(
            names = "--metrics",
            paramLabel = "LIST",
            defaultValue = "all",
            description = "Comma-separated toolbox metric names (default: all 17): Smeasure, wFmeasure, MAE, "
                    + "adpEm, meanEm, maxEm, adpFm, meanFm, maxFm, meanSen, maxSen, meanSpe, maxSpe, meanDice, "
                    + "maxDice, meanIoU, maxIoU.")
    String metrics;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write split,model,metric,value to FILE.")
    Path csv;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (alerts != null) {
            return evaluateAlerts(out);
        }
        if (predRoot == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Missing required option: '--pred-root=DIR'"
                            + " (or --alerts FILE.jsonl for the detection metrics)");
        }
        List<VpsMetric> list;
        try {
            list = VpsMetric.parseList(metrics);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String chosen = model != null ? model : onlyModel();
        VpsEvaluator evaluator = new VpsEvaluator(list, line -> {
            err.println("eval: " + line);
            err.flush();
        });
        VpsScores scores;
        try {
            scores = evaluator.evaluate(gtRoot, predRoot, chosen, split);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        for (Map.Entry<VpsMetric, Double> e : scores.values().entrySet()) {
            out.println(split + "\t" + e.getKey().toolboxName() + "\t" + decimals(e.getValue(), 6));
        }
        out.println();
        out.print(table(scores));
        out.flush();
        if (csv != null) {
            writeCsv(scores);
            err.println("eval: wrote " + csv);
        }
        return 0;
    }

    private int evaluateAlerts(PrintWriter out) throws IOException {
        if (alertLog == null) {
            throw new IllegalArgumentException(
                    "--alerts needs the alert event reader of the full command line (bin/sali)");
        }
        if (!Files.isRegularFile(alerts)) {
            throw new IOException(alerts + ": no such alert file");
        }
        SunSegLayout layout = SunSegLayout.open(gtRoot, split);
        Map<String, List<FrameTruth>> truth = new LinkedHashMap<>();
        for (String c : layout.cases()) {
            truth.put(c, FrameTruth.read(layout, c));
        }
        List<DetectionMetrics.Episode> episodes = alertLog.read(alerts);
        DetectionMetrics.Result r = DetectionMetrics.evaluate(truth, episodes, fps, mergeGap);
        out.printf(
                Locale.ROOT,
                "detection metrics of %s against %s (%d procedures, %.0f fps):%n",
                alerts,
                layout.splitRoot(),
                truth.size(),
                fps);
        out.print(r.format());
        out.printf(
                Locale.ROOT,
                "{\"sensitivity\":%s,\"appearances\":%d,\"median_latency_ms\":%s,"
                        + "\"false_alerts_per_min\":%s,\"false_alerts\":%d,\"alerts\":%d}%n",
                json(r.sensitivity()),
                r.appearances(),
                json(r.medianLatencyMs()),
                json(r.falseAlertsPerMinute()),
                r.falseAlerts(),
                r.alerts());
        out.flush();
        return 0;
    }

    private static String json(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null";
    }

    private String onlyModel() throws IOException {
        if (!Files.isDirectory(predRoot)) {
            throw new ParameterException(spec.commandLine(), "no prediction root " + predRoot);
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(predRoot)) {
            s.filter(p -> Files.isDirectory(p.resolve(split)))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .forEach(found::add);
        }
        if (found.size() != 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    (found.isEmpty()
                                    ? "no model folder under " + predRoot + " has the split " + split
                                    : "several models have the split " + split + ": " + found)
                            + "; name one with --model");
        }
        return found.get(0);
    }

    private void writeCsv(VpsScores scores) throws IOException {
        StringBuilder sb = new StringBuilder("split,model,metric,value\n");
        for (Map.Entry<VpsMetric, Double> e : scores.values().entrySet()) {
            sb.append(csvField(scores.split()))
                    .append(',')
                    .append(csvField(scores.model()))
                    .append(',')
                    .append(e.getKey().toolboxName())
                    .append(',')
                    .append(decimals(e.getValue(), 6))
                    .append('\n');
        }
        Path parent = csv.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** A readable table in the toolbox's shape: Dataset, Method, then one column per metric (3 decimals). */
    static String table(VpsScores scores) {
        List<String> header = new ArrayList<>(List.of("Dataset", "Method"));
        List<String> row = new ArrayList<>(List.of(scores.split().replace('/', '-'), scores.model()));
        for (Map.Entry<VpsMetric, Double> e : scores.values().entrySet()) {
            header.add(e.getKey().toolboxName());
            row.add(decimals(e.getValue(), 3));
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = Math.max(header.get(i).length(), row.get(i).length());
        }
        StringBuilder sep = new StringBuilder("+");
        for (int w : width) {
            sep.append("-".repeat(w + 2)).append('+');
        }
        StringBuilder sb = new StringBuilder();
        sb.append(sep)
                .append('\n')
                .append(line(header, width))
                .append(sep)
                .append('\n')
                .append(line(row, width))
                .append(sep)
                .append('\n');
        sb.append(String.format("(%d cases, %d frames evaluated)%n", scores.cases(), scores.frames()));
        return sb.toString();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            int pad = width[i] - c.length();
            sb.append(' ')
                    .append(" ".repeat(pad / 2))
                    .append(c)
                    .append(" ".repeat(pad - pad / 2))
                    .append(" |");
        }
        return sb.append('\n').toString();
    }

    /**
     * Python's {@code '{:.Nf}'.format(v)}: the exact binary value rounded half to even (Java's
     * {@code %.6f} rounds the shortest decimal form half up, which can differ in the last digit).
     */
    static String decimals(double v, int places) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(v).setScale(places, RoundingMode.HALF_EVEN).toPlainString();
        return v < 0 || (v == 0 && 1 / v < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
    }
}
