package org.salistream.datasets.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dataset part of {@code eval_engine_vps}: case curves averaged over cases ({@code np.mean(...,
 * axis=0)}, cases added in order), then per metric the maximum of the averaged curve ({@code max} metrics)
 * or its mean ({@code np.mean} over the 256 values, pairwise — the scalar metrics included). The toolbox
 * rounds to three decimals only when printing its table; the values here are unrounded.
 */
final class DatasetAggregator {

    private static final int BINS = 256;

    private final List<VpsMetric> metrics;
    private final double[][] sums = new double[VpsMetric.values().length][];
    private int cases;

    DatasetAggregator(List<VpsMetric> metrics) {
        this.metrics = metrics;
        for (VpsMetric m : metrics) {
            sums[m.ordinal()] = new double[BINS];
        }
    }

    void addCase(double[][] caseCurves) {
        for (VpsMetric m : metrics) {
            double[] sum = sums[m.ordinal()];
            double[] c = caseCurves[m.ordinal()];
            for (int k = 0; k < BINS; k++) {
                sum[k] += c[k];
            }
        }
        cases++;
    }

    int cases() {
        return cases;
    }

    /** Final value per metric, in the requested order; NaN for every metric when no case was added. */
    Map<VpsMetric, Double> values() {
        Map<VpsMetric, Double> out = new LinkedHashMap<>();
        for (VpsMetric m : metrics) {
            double[] mean = new double[BINS];
            double[] sum = sums[m.ordinal()];
            for (int k = 0; k < BINS; k++) {
                mean[k] = sum[k] / cases;
            }
            double v = m.isMax() ? NumpySums.max(mean) : NumpySums.mean(mean);
            out.put(m, v);
        }
        return out;
    }
}
