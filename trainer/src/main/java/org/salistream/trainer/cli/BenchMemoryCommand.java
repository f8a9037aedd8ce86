package org.salistream.trainer.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.SunSegFrame;
import org.salistream.datasets.SunSegLayout;
import org.salistream.datasets.eval.FrameTruth;
import org.salistream.datasets.eval.SubsetEvaluator;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.datasets.eval.VpsScores;
import org.salistream.datasets.synth.SunSegWriter;
import org.salistream.datasets.synth.SynthOptions;
import org.salistream.datasets.synth.SyntheticProcedureGenerator;
import org.salistream.model.NeighborMode;
import org.salistream.model.checkpoint.ShippedModel;
import org.salistream.model.cli.CommandErrors;
import org.salistream.model.cli.ModelOptions;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.FrameMask;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.ProcedureRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali bench memory}: what SALI's long-term memory (the LIM) adds. Segments held-out procedures three
 * ways with one model: as published (memory read, the next frame as neighbour), with the long-term memory
 * switched off (every frame reads only itself, as the first frame does; the short-term alignment kept), and
 * with the previous frame as neighbour (causal). Scores each with the toolbox's S-measure, mean and max Dice,
 * per low-quality kind (the frames showing it), on the clean frames, and overall; each case without its first
 * and last frame, as the toolbox. Each frame is encoded once and its features shared by the three runs.
 *
 * <p>Without {@code --data}, the held-out set is synthesised: seed {@value #HELD_OUT_SEED} (never used for
 * training: the trainer's synthetic data uses its own {@code --seed}, 2021 by default), every kind.
 */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        description = {
            "Memory ablation: full SALI vs long-term memory off vs the previous frame as neighbour,",
            "toolbox S-measure / Dice per low-quality kind, on held-out synthetic procedures (or --data)."
        })
public final class BenchMemoryCommand implements Callable<Integer> {

    /** The synthetic held-out set's seed. */
    public static final long HELD_OUT_SEED = 9001;

    static final List<String> KINDS = List.of(
            "clean",
            "motion_blur",
            "defocus",
            "over_exposure",
            "bubbles",
            "out_of_view",
            "all",
            SubsetEvaluator.WITH_POLYP);
    static final List<VpsMetric> METRICS = List.of(VpsMetric.SMEASURE, VpsMetric.MEAN_DICE, VpsMetric.MAX_DICE);

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--data", paramLabel = "ROOT", description = "A SUN-SEG root to use instead of synthesising.")
    Path data;

    @Option(
            names = "--split",
            defaultValue = "HeldOut",
            description = "Split under the root (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(
            names = "--out",
            defaultValue = "bench-out/memory",
            paramLabel = "DIR",
            description = "Where the synthetic held-out set is written (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--cases", defaultValue = "4", description = "Synthetic cases (default: ${DEFAULT-VALUE}).")
    int cases;

    @Option(
            names = "--frames",
            defaultValue = "30",
            description = "Frames per synthetic case (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--seed",
            defaultValue = "" + HELD_OUT_SEED,
            description = "Synthesis seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        return CommandErrors.run(
                "sali bench memory", err, () -> bench(spec.commandLine().getOut(), err));
    }

    private int bench(PrintWriter outw, PrintWriter err) throws Exception {
        Path root = data != null ? data : synthesise(err);
        SunSegLayout layout = SunSegLayout.open(root, split);
        Path weights = model.resolvedWeights();
        err.printf("sali bench memory: model: %s%n", ShippedModel.describe(weights));
        err.flush();
        Map<String, SubsetEvaluator> byVariant = new LinkedHashMap<>();
        long start = System.nanoTime();
        int done = 0;
        try (DjlSaliStages next = model.open();
                DjlSaliStages previous = next.withConfig(next.config().withNeighbor(NeighborMode.PREVIOUS))) {
            List<String> variants = List.of(
                    "full SALI (" + next.config().neighbor().configName() + " neighbour)",
                    "long-term memory off",
                    "previous neighbour");
            variants.forEach(v -> byVariant.put(v, new SubsetEvaluator(METRICS, v)));
            for (String c : layout.cases()) {
                List<SunSegFrame> list = layout.frames(c);
                List<FrameTruth> truth = FrameTruth.read(layout, c);
                ProcedureRunner[] runners = {
                    new ProcedureRunner(next, true),
                    new ProcedureRunner(next, false),
                    new ProcedureRunner(previous, true)
                };
                List<ProcedureRunner.Sink> sinks = new ArrayList<>();
                for (String v : variants) {
                    SubsetEvaluator eval = byVariant.get(v);
                    sinks.add((index, result) ->
                            score(eval, c, list, truth, (int) index, result.logits(), result.size()));
                }
                for (SunSegFrame f : list) {
                    FrameFeatures feats =
                            next.encode(List.of(FrameDecoder.read(f.image()))).get(0);
                    for (int r = 0; r < runners.length; r++) {
                        runners[r].acceptFeatures(f.index(), feats, sinks.get(r));
                    }
                }
                for (int r = 0; r < runners.length; r++) {
                    runners[r].finish(sinks.get(r));
                }
                done += list.size();
                err.printf(
                        Locale.ROOT,
                        "  %s: %d frames (%d in all, %.2f frames/s x 3 runs)%n",
                        c,
                        list.size(),
                        done,
                        done / ((System.nanoTime() - start) / 1e9));
                err.flush();
            }
            outw.printf(
                    "Memory ablation: %s, %s, %d cases of %s%n",
                    next.config(),
                    ShippedModel.describe(weights),
                    layout.cases().size(),
                    layout.splitRoot());
        }
        outw.print(table(byVariant));
        outw.flush();
        return 0;
    }

    /**
     * Scores one frame into "all", its kinds or "clean", and "with_polyp" where its ground truth shows one (the
     * toolbox's protocol: no first or last frame).
     */
    private static void score(
            SubsetEvaluator eval,
            String caseId,
            List<SunSegFrame> frames,
            List<FrameTruth> truth,
            int index,
            float[] logits,
            int size)
            throws Exception {
        if (index == 0 || index == frames.size() - 1) {
            return;
        }
        GrayImage gt = frames.get(index).readMask().orElseThrow();
        FrameMask mask = FrameMask.fromLogits(logits, size, gt.width(), gt.height());
        Set<String> names = new LinkedHashSet<>(List.of("all"));
        Set<String> kinds = truth.get(index).degradations();
        names.addAll(kinds.isEmpty() ? Set.of("clean") : kinds);
        if (SubsetEvaluator.showsPolyp(gt)) {
            names.add(SubsetEvaluator.WITH_POLYP);
        }
        eval.add(names, caseId, gt, new GrayImage(gt.width(), gt.height(), mask.normalized8()));
    }

    private Path synthesise(PrintWriter err) throws Exception {
        SunSegWriter writer = new SunSegWriter(out.resolve(split));
        if (Files.isDirectory(out.resolve(split).resolve("Frame"))) {
            err.println("sali bench memory: reusing " + out.resolve(split));
            return out;
        }
        SyntheticProcedureGenerator gen = new SyntheticProcedureGenerator(
                SynthOptions.builder()
                        .size(352, 352)
                        .frames(frames)
                        .polyps(1, 3)
                        .build(),
                seed);
        for (int i = 1; i <= cases; i++) {
            writer.write(gen.generateCase(i), false, line -> {});
        }
        err.printf(
                "sali bench memory: synthesised %d held-out cases of %d frames (seed %d) under %s%n",
                cases, frames, seed, out.resolve(split));
        return out;
    }

    /** A Markdown table: one row per variant and metric, one column per kind; then a JSON line. */
    static String table(Map<String, SubsetEvaluator> byVariant) {
        StringBuilder b = new StringBuilder("| variant | metric |");
        KINDS.forEach(k -> b.append(' ').append(k).append(" |"));
        b.append("\n|---|---|").append("---|".repeat(KINDS.size())).append('\n');
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, SubsetEvaluator> v : byVariant.entrySet()) {
            Map<String, VpsScores> r = v.getValue().results();
            for (VpsMetric m : METRICS) {
                b.append("| ")
                        .append(v.getKey())
                        .append(" | ")
                        .append(m.toolboxName())
                        .append(" |");
                for (String k : KINDS) {
                    VpsScores s = r.get(k);
                    b.append(s == null ? " - |" : String.format(Locale.ROOT, " %.3f |", s.value(m)));
                }
                b.append('\n');
            }
            VpsScores all = r.get("all");
            json.append(json.length() > 1 ? "," : "")
                    .append(String.format(
                            Locale.ROOT,
                            "\"%s\":{\"Smeasure\":%.4f,\"meanDice\":%.4f,\"maxDice\":%.4f}",
                            v.getKey(),
                            all.value(VpsMetric.SMEASURE),
                            all.value(VpsMetric.MEAN_DICE),
                            all.value(VpsMetric.MAX_DICE)));
        }
        b.append("\nframes per kind (all variants alike): ");
        Map<String, VpsScores> first = byVariant.values().iterator().next().results();
        for (String k : KINDS) {
            VpsScores s = first.get(k);
            b.append(k).append('=').append(s == null ? 0 : s.frames()).append(' ');
        }
        return b.append('\n').append(json).append("}\n").toString();
    }
}
