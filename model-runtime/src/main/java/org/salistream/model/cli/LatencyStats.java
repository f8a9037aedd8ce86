package org.salistream.model.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * Summary of per-frame times in milliseconds: median and 90th percentile (nearest rank), mean.
 *
 * @param median the median
 * @param p90 the 90th percentile: the smallest sample with at least 90% of the samples at or below it
 * @param mean the mean
 * @param count the number of samples
 */
record LatencyStats(double median, double p90, double mean, int count) {

    /** The summary of {@code ms} (not modified). */
    static LatencyStats of(double[] ms) {
        if (ms.length == 0) {
            return new LatencyStats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] s = ms.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        double p90 = s[Math.max(0, (int) Math.ceil(0.9 * n) - 1)];
        return new LatencyStats(median, p90, Arrays.stream(s).sum() / n, n);
    }

    /** {@code median / p90}, e.g. {@code 41.2 / 44.0}. */
    String format() {
        return String.format(Locale.ROOT, "%.1f / %.1f", median, p90);
    }
}
