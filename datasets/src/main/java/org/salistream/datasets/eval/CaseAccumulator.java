package org.salistream.datasets.eval;

import java.util.Arrays;
import java.util.List;

/**
 * The per-case part of {@code eval_engine_vps}: the metric classes of one {@code evaluator(...)} call
 * averaging their per-frame records in {@code get_results()} — scalars with {@code np.mean} (pairwise),
 * curves with {@code np.mean(..., axis=0)} (frames added in order). Memory: six 256-double running sums and
 * the per-frame scalars (five doubles a frame, kept so that their mean rounds exactly as numpy's); frames
 * themselves are never kept.
 */
final class CaseAccumulator {

    private static final int BINS = 256;

    private final List<VpsMetric> metrics;
    private final double[][] curveSums = new double[VpsMetric.values().length][];
    private double[][] scalars = new double[VpsMetric.values().length][16];
    private int frames;

    CaseAccumulator(List<VpsMetric> metrics) {
        this.metrics = metrics;
    }

    void add(FrameScores s) {
        for (VpsMetric m : metrics) {
            int i = m.ordinal();
            if (m.isCurve()) {
                double[] c = s.curve(m);
                if (curveSums[i] == null) {
                    curveSums[i] = new double[BINS];
                }
                double[] sum = curveSums[i];
                for (int k = 0; k < BINS; k++) {
                    sum[k] += c[k];
                }
            } else {
                if (frames == scalars[i].length) {
                    scalars[i] = Arrays.copyOf(scalars[i], frames * 2);
                }
                scalars[i][frames] = s.scalar(m);
            }
        }
        frames++;
    }

    int frames() {
        return frames;
    }

    /**
     * What the case contributes to the dataset average, per metric: the case-mean curve, or the case-mean
     * scalar repeated 256 times ({@code [value] * 256} in {@code eval_engine_vps}). NaN when the case had
     * no evaluated frame, as numpy's mean of nothing.
     */
    double[][] caseCurves() {
        double[][] out = new double[VpsMetric.values().length][];
        for (VpsMetric m : metrics) {
            int i = m.ordinal();
            double[] c = new double[BINS];
            if (m.isCurve()) {
                if (curveSums[i] == null) {
                    Arrays.fill(c, Double.NaN);
                } else {
                    for (int k = 0; k < BINS; k++) {
                        c[k] = curveSums[i][k] / frames;
                    }
                }
            } else {
                double mean = NumpySums.pairwise(scalars[i], 0, frames) / frames;
                Arrays.fill(c, mean);
            }
            out[i] = c;
        }
        return out;
    }
}
