package org.salistream.datasets.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.salistream.datasets.GrayImage;

/**
 * A Java port of the published VPS evaluator, {@code eval_engine_vps} of {@code eval/evaluator.py} (the
 * PNS+/SUN-SEG toolbox shipped with SALI, Hu et al., MICCAI 2024), over the toolbox's folder layout:
 * ground truth {@code <gtRoot>/<split>/GT/<case>/<frame>.png}, predictions
 * {@code <predRoot>/<model>/<split>/<case>/<frame>.png} (same file names).
 *
 * <p>Per case: the PNG files in the toolbox's order ({@link ToolboxFrameOrder}), without the first and
 * the last (as DAVSOD's evaluation suggests), each read as {@code cv2.imread(..., IMREAD_GRAYSCALE)}, the
 * prediction resized to the ground truth's size when they differ; the metric classes' per-case results;
 * then the average over cases and the max or mean over thresholds. Frames of a case are evaluated in
 * parallel and accumulated in order, so the result does not depend on the number of threads.
 */
public final class VpsEvaluator {

    private final List<VpsMetric> metrics;
    private final Set<VpsMetric.Module> modules;
    private final Consumer<String> progress;

    /** An evaluator of the given metrics (in the order they are reported), without progress output. */
    public VpsEvaluator(List<VpsMetric> metrics) {
        this(metrics, s -> {});
    }

    /**
     * @param metrics  the metrics, in report order
     * @param progress receives one line per case (for long runs)
     */
    public VpsEvaluator(List<VpsMetric> metrics, Consumer<String> progress) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("no metric to evaluate");
        }
        this.metrics = List.copyOf(metrics);
        this.modules = VpsMetric.modules(this.metrics);
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public List<VpsMetric> metrics() {
        return metrics;
    }

    /**
     * Evaluates one model on one split.
     *
     * @throws IOException              a folder or file cannot be read
     * @throws IllegalArgumentException the layout is wrong: no GT folder, a missing prediction, a case
     *                                  with fewer than three frames
     */
    public VpsScores evaluate(Path gtRoot, Path predRoot, String model, String split) throws IOException {
        Path gtSrc = gtRoot.resolve(split).resolve("GT");
        Path predSrc = predRoot.resolve(model).resolve(split);
        if (!Files.isDirectory(gtSrc)) {
            throw new IllegalArgumentException(
                    "no ground-truth folder " + gtSrc + " (expected <gt-root>/<split>/GT/<case>/<frame>.png)");
        }
        if (!Files.isDirectory(predSrc)) {
            throw new IllegalArgumentException(
                    "no prediction folder " + predSrc + " (expected <pred-root>/<model>/<split>/<case>/<frame>.png)");
        }
        List<String> cases = caseNames(gtSrc);
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no case folder in " + gtSrc);
        }
        DatasetAggregator aggregator = new DatasetAggregator(metrics);
        int frames = 0;
        int done = 0;
        for (String c : cases) {
            List<String> ordered = framesInToolboxOrder(gtSrc.resolve(c), c);
            if (ordered.size() < 3) {
                throw new IllegalArgumentException("case " + c + " has " + ordered.size()
                        + " ground-truth frame(s); the toolbox drops the first and last frame of each case,"
                        + " so every case needs at least 3");
            }
            List<String> kept = ordered.subList(1, ordered.size() - 1);
            for (String name : kept) {
                Path pred = predSrc.resolve(c).resolve(name);
                if (!Files.isRegularFile(pred)) {
                    throw new IllegalArgumentException(
                            "prediction missing for " + c + "/" + name + ": expected " + pred);
                }
            }
            FrameScores[] scores = evaluateFrames(gtSrc.resolve(c), predSrc.resolve(c), kept);
            CaseAccumulator acc = new CaseAccumulator(metrics);
            for (FrameScores s : scores) {
                acc.add(s);
            }
            aggregator.addCase(acc.caseCurves());
            frames += kept.size();
            done++;
            progress.accept(String.format(
                    "%s/%s: case %s (%d/%d), %d frames", model, split, c, done, cases.size(), kept.size()));
        }
        return new VpsScores(split, model, aggregator.values(), aggregator.cases(), frames);
    }

    private FrameScores[] evaluateFrames(Path gtCase, Path predCase, List<String> names) {
        return IntStream.range(0, names.size())
                .parallel()
                .mapToObj(i -> {
                    try {
                        GrayImage gt = GrayImage.read(gtCase.resolve(names.get(i)));
                        GrayImage pred = GrayImage.read(predCase.resolve(names.get(i)));
                        return FrameEvaluator.evaluate(gt, pred, modules);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toArray(FrameScores[]::new);
    }

    /**
     * The case folders of a GT folder ({@code os.listdir} without {@code .DS_Store}); hidden entries and
     * plain files are skipped. Sorted lexicographically (the toolbox's listing order is unspecified and the
     * average over cases does not depend on it beyond the last bit).
     */
    public static List<String> caseNames(Path gtSrc) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(gtSrc)) {
            s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.contains("DS_Store"))
                    .sorted()
                    .forEach(out::add);
        }
        return out;
    }

    /** The {@code *.png} files of a case folder ({@code glob}: hidden files excluded) in the toolbox's order. */
    public static List<String> framesInToolboxOrder(Path caseDir, String caseName) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(caseDir)) {
            s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".png") && !n.startsWith("."))
                    .forEach(names::add);
        }
        return ToolboxFrameOrder.sort(caseName, names);
    }
}
