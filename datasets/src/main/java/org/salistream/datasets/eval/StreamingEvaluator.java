package org.salistream.datasets.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.salistream.datasets.GrayImage;

/**
 * The toolbox's evaluation fed one frame at a time (the trainer's validation, replay with ground truth),
 * in bounded memory: per case, the running curve sums, five doubles per evaluated frame, and the scores of
 * one held-back frame — never the frames themselves.
 *
 * <p>The published evaluator drops the first and the last frame of every case. The first is recognised
 * on arrival and skipped without computing anything. The last is only known when the case ends, so each
 * case holds the scores of its latest frame back and commits them when a later frame of the case arrives;
 * {@link #result()} leaves the held-back frames out. Frames of a case must arrive in increasing
 * {@code frameIndex} order (the toolbox's order); cases may interleave. Fed the frames of a toolbox folder
 * in that order, the result is bit-identical to {@link VpsEvaluator}'s.
 *
 * <p>Cases with fewer than three frames have nothing to evaluate: {@link VpsEvaluator} rejects them, here
 * they are left out of the average (and counted by {@link #skippedCases()}). Thread-safe.
 */
public final class StreamingEvaluator {

    private final List<VpsMetric> metrics;
    private final Set<VpsMetric.Module> modules;
    private final String split;
    private final String model;
    private final Map<String, CaseState> cases = new LinkedHashMap<>();

    private static final class CaseState {
        final CaseAccumulator acc;
        int lastIndex;
        int seen;
        FrameScores pending;

        CaseState(List<VpsMetric> metrics) {
            this.acc = new CaseAccumulator(metrics);
        }
    }

    /** A streaming evaluator of the given metrics, reporting under the given split and model names. */
    public StreamingEvaluator(List<VpsMetric> metrics, String split, String model) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("no metric to evaluate");
        }
        this.metrics = List.copyOf(metrics);
        this.modules = VpsMetric.modules(this.metrics);
        this.split = Objects.requireNonNull(split, "split");
        this.model = Objects.requireNonNull(model, "model");
    }

    /** All 17 metrics. */
    public StreamingEvaluator(String split, String model) {
        this(List.of(VpsMetric.values()), split, model);
    }

    /**
     * Adds one frame of a case.
     *
     * @param caseId     the case (video) the frame belongs to
     * @param frameIndex the frame's position in its case; strictly increasing per case
     * @param gt         the ground-truth mask (object where above 128)
     * @param pred       the prediction, 0..255; resized to the mask's size like the toolbox when needed
     */
    public void add(String caseId, int frameIndex, GrayImage gt, GrayImage pred) {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(gt, "gt");
        Objects.requireNonNull(pred, "pred");
        CaseState st;
        synchronized (this) {
            st = cases.computeIfAbsent(caseId, k -> new CaseState(metrics));
        }
        // One case at a time per case (frames of different cases are evaluated concurrently).
        synchronized (st) {
            if (st.seen > 0 && frameIndex <= st.lastIndex) {
                throw new IllegalArgumentException("case " + caseId + ": frame " + frameIndex + " arrived after frame "
                        + st.lastIndex + "; frames of a case must arrive in order");
            }
            if (st.seen == 0) {
                st.lastIndex = frameIndex;
                st.seen = 1;
                return; // the first frame of a case is never evaluated
            }
            FrameScores scores = FrameEvaluator.evaluate(gt, pred, modules);
            synchronized (this) {
                if (st.pending != null) {
                    st.acc.add(st.pending);
                }
                st.pending = scores;
                st.lastIndex = frameIndex;
                st.seen++;
            }
        }
    }

    /**
     * The scores over the frames committed so far: every case without its first frame and without its
     * latest (held-back) frame. Does not change the state; more frames may be added afterwards.
     */
    public synchronized VpsScores result() {
        DatasetAggregator agg = new DatasetAggregator(metrics);
        int frames = 0;
        for (CaseState st : cases.values()) {
            if (st.acc.frames() > 0) {
                agg.addCase(st.acc.caseCurves());
                frames += st.acc.frames();
            }
        }
        return new VpsScores(split, model, agg.values(), agg.cases(), frames);
    }

    /** Cases seen so far that have no evaluated frame yet (fewer than three frames). */
    public synchronized int skippedCases() {
        int n = 0;
        for (CaseState st : cases.values()) {
            if (st.acc.frames() == 0) {
                n++;
            }
        }
        return n;
    }

    /** Forgets every case. */
    public synchronized void reset() {
        cases.clear();
    }
}
