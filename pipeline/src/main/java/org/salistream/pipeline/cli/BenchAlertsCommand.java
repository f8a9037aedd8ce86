package org.salistream.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.SunSegFrame;
import org.salistream.datasets.SunSegLayout;
import org.salistream.datasets.eval.DetectionMetrics;
import org.salistream.datasets.eval.FrameTruth;
import org.salistream.kafka.AlertEvent;
import org.salistream.model.checkpoint.ShippedModel;
import org.salistream.model.cli.CommandErrors;
import org.salistream.model.cli.ModelOptions;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.FrameMask;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ProcedureRunner;
import org.salistream.pipeline.operators.AlertHysteresis;
import org.salistream.pipeline.state.AlertState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali bench alerts}: the alert hysteresis chosen on data, as the pipeline applies it. Segments the
 * procedures of a split offline (the job's model, its confidence: the frame's highest polyp probability),
 * runs the pipeline's own {@link AlertHysteresis} over the confidences with every rule of a grid (k of n to
 * appear, m below to clear, threshold), and scores each rule with the detection metrics. Run it on training
 * data to choose the defaults ({@code alerts.*}); then with {@code --rule} on held-out data to report them.
 *
 * <p>The choice: the highest sensitivity, then among rules within 0.02 of it the lowest cost: false alerts per
 * minute, plus the median latency in seconds, plus ten times the share of polyp-free frames with an alert
 * open (an alert that does not clear when the polyp is gone: 10% of that time weighs as one false alert per
 * minute).
 */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = {
            "Choose the alert hysteresis (k of n, m, threshold) on a split's procedures by the detection",
            "metrics, or score one rule (--rule k,n,m,threshold)."
        })
public final class BenchAlertsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, paramLabel = "ROOT", description = "SUN-SEG root with ground truth.")
    Path data;

    @Option(names = "--split", required = true, paramLabel = "NAME", description = "The split (training data to tune).")
    String split;

    @Option(names = "--rule", paramLabel = "K,N,M,T", description = "Score this rule only (e.g. 3,5,5,0.5).")
    String rule;

    @Option(names = "--fps", defaultValue = "25", description = "Source frame rate (default: ${DEFAULT-VALUE}).")
    double fps;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        return CommandErrors.run(
                "sali bench alerts", err, () -> tune(spec.commandLine().getOut(), err));
    }

    private int tune(PrintWriter out, PrintWriter err) throws Exception {
        SunSegLayout layout = SunSegLayout.open(data, split);
        Map<String, List<FrameTruth>> truth = new LinkedHashMap<>();
        Map<String, float[]> confidence = new LinkedHashMap<>();
        err.println("sali bench alerts: model: " + ShippedModel.describe(model.resolvedWeights()));
        err.flush();
        try (DjlSaliStages stages = model.open()) {
            for (String c : layout.cases()) {
                List<SunSegFrame> frames = layout.frames(c);
                truth.put(c, FrameTruth.read(layout, c));
                float[] conf = new float[frames.size()];
                GrayImage size = frames.get(0).readMask().orElseThrow();
                ProcedureRunner runner = new ProcedureRunner(stages);
                ProcedureRunner.Sink sink = (i, r) ->
                        conf[(int) i] = FrameMask.fromLogits(r.logits(), r.size(), size.width(), size.height())
                                .maxProbability();
                for (SunSegFrame f : frames) {
                    runner.accept(f.index(), FrameDecoder.read(f.image()), sink);
                }
                runner.finish(sink);
                confidence.put(c, conf);
                err.printf("  %s: %d frames%n", c, frames.size());
                err.flush();
            }
        }
        List<Scored> scored = new ArrayList<>();
        for (AlertEvent.Hysteresis h : rule != null ? List.of(parse(rule)) : grid()) {
            scored.add(new Scored(
                    h,
                    DetectionMetrics.evaluate(
                            truth,
                            AlertFile.episodes(alerts(h, confidence)),
                            fps,
                            DetectionMetrics.DEFAULT_MERGE_GAP)));
        }
        double best =
                scored.stream().mapToDouble(s -> s.r().sensitivity()).max().orElse(0);
        scored.sort(Comparator.comparingDouble((Scored s) -> s.r().sensitivity() >= best - 0.02 ? 0 : 1)
                .thenComparingDouble(Scored::cost)
                .thenComparingDouble(s -> s.r().alertedPolypFreeShare()));
        out.printf(Locale.ROOT, "%s: %d procedures, %d rule(s)%n", layout.splitRoot(), truth.size(), scored.size());
        out.println("| k of n | clear m | threshold | sensitivity | median latency ms | false alerts/min |"
                + " polyp-free frames alerted |");
        out.println("|---|---|---|---|---|---|---|");
        for (Scored s : scored.subList(0, Math.min(8, scored.size()))) {
            out.printf(
                    Locale.ROOT,
                    "| %d of %d | %d | %.2f | %.3f (%d/%d) | %.0f | %.2f | %.1f%% |%n",
                    s.h().appearK(),
                    s.h().appearN(),
                    s.h().clearM(),
                    s.h().threshold(),
                    s.r().sensitivity(),
                    s.r().detected(),
                    s.r().appearances(),
                    s.r().medianLatencyMs(),
                    s.r().falseAlertsPerMinute(),
                    100 * s.r().alertedPolypFreeShare());
        }
        AlertEvent.Hysteresis h = scored.get(0).h();
        out.printf(
                Locale.ROOT,
                "chosen: --set alerts.appear-k=%d --set alerts.appear-n=%d --set alerts.clear-m=%d"
                        + " --set alerts.threshold=%s%n",
                h.appearK(),
                h.appearN(),
                h.clearM(),
                h.threshold());
        out.flush();
        return 0;
    }

    private record Scored(AlertEvent.Hysteresis h, DetectionMetrics.Result r) {
        double cost() {
            double lat = Double.isNaN(r.medianLatencyMs()) ? 1e9 : r.medianLatencyMs() / 1000;
            double fa = Double.isNaN(r.falseAlertsPerMinute()) ? 0 : r.falseAlertsPerMinute();
            double open = Double.isNaN(r.alertedPolypFreeShare()) ? 0 : r.alertedPolypFreeShare();
            return fa + lat + 10 * open;
        }
    }

    /** The pipeline's hysteresis over each procedure's confidences, as the alert stage runs it. */
    static List<AlertEvent> alerts(AlertEvent.Hysteresis h, Map<String, float[]> confidence) {
        AlertHysteresis rule = new AlertHysteresis(h);
        List<AlertEvent> out = new ArrayList<>();
        confidence.forEach((proc, conf) -> {
            AlertState s = rule.newState();
            for (int i = 0; i < conf.length; i++) {
                rule.observe(s, proc, i, i * 40_000L, conf[i], null, i * 40_000L)
                        .ifPresent(out::add);
            }
            rule.end(s, proc, conf.length * 40_000L).ifPresent(out::add);
        });
        return out;
    }

    static List<AlertEvent.Hysteresis> grid() {
        List<AlertEvent.Hysteresis> out = new ArrayList<>();
        for (int n : new int[] {3, 5, 7}) {
            for (int k = 1; k <= Math.min(n, 4); k++) {
                for (int m : new int[] {2, 3, 5, 8}) {
                    for (float t : new float[] {0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 0.95f, 0.98f, 0.99f}) {
                        out.add(new AlertEvent.Hysteresis(k, n, m, t));
                    }
                }
            }
        }
        return out;
    }

    private static AlertEvent.Hysteresis parse(String s) {
        String[] p = s.split(",");
        if (p.length != 4) {
            throw new IllegalArgumentException("--rule needs k,n,m,threshold, got " + s);
        }
        return new AlertEvent.Hysteresis(
                Integer.parseInt(p[0].trim()),
                Integer.parseInt(p[1].trim()),
                Integer.parseInt(p[2].trim()),
                Float.parseFloat(p[3].trim()));
    }
}
