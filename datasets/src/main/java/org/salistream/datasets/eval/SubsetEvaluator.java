package org.salistream.datasets.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.salistream.datasets.GrayImage;

/**
 * The toolbox's metrics over named subsets of frames (for example the frames with motion blur, or the clean
 * ones), each computed as the toolbox computes a split: per case, the mean over the case's frames in the
 * subset; then the mean over the cases that have such frames. Which frames count is the caller's choice
 * (the toolbox's protocol leaves out each case's first and last frame; so should a caller that compares
 * with it). One frame may belong to several subsets.
 */
public final class SubsetEvaluator {

    /**
     * The subset of frames whose ground truth shows a polyp, as every frame of SUN-SEG's test splits does. The
     * toolbox scores a frame without one Dice 0 (and IoU 0) whatever the prediction, so on synthetic procedures
     * with polyp-free stretches a perfect model's Dice over all frames is the share of frames with a polyp; over
     * this subset it is 1.
     */
    public static final String WITH_POLYP = "with_polyp";

    private final List<VpsMetric> metrics;
    private final Set<VpsMetric.Module> modules;
    private final String model;
    private final Map<String, Map<String, CaseAccumulator>> subsets = new LinkedHashMap<>();

    /** An evaluator of {@code metrics}, reporting under the model name {@code model}. */
    public SubsetEvaluator(List<VpsMetric> metrics, String model) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("no metric to evaluate");
        }
        this.metrics = List.copyOf(metrics);
        this.modules = VpsMetric.modules(this.metrics);
        this.model = model;
    }

    /**
     * Adds one frame to the subsets named.
     *
     * @param pred the prediction 0..255 (resized to the mask's size like the toolbox when needed)
     */
    public void add(Set<String> names, String caseId, GrayImage gt, GrayImage pred) {
        FrameScores s = FrameEvaluator.evaluate(gt, pred, modules);
        synchronized (this) {
            for (String name : names) {
                subsets.computeIfAbsent(name, k -> new LinkedHashMap<>())
                        .computeIfAbsent(caseId, k -> new CaseAccumulator(metrics))
                        .add(s);
            }
        }
    }

    /** Whether {@code gt} shows a polyp as the toolbox binarises it ({@code gt > 128}): a {@link #WITH_POLYP} frame. */
    public static boolean showsPolyp(GrayImage gt) {
        for (byte b : gt.pixels()) {
            if ((b & 0xFF) > 128) {
                return true;
            }
        }
        return false;
    }

    /** The scores of each subset, in the order the subsets first appeared. */
    public synchronized Map<String, VpsScores> results() {
        Map<String, VpsScores> out = new LinkedHashMap<>();
        subsets.forEach((name, cases) -> {
            DatasetAggregator agg = new DatasetAggregator(metrics);
            int frames = 0;
            for (CaseAccumulator acc : cases.values()) {
                agg.addCase(acc.caseCurves());
                frames += acc.frames();
            }
            out.put(name, new VpsScores(name, model, agg.values(), agg.cases(), frames));
        });
        return out;
    }
}
