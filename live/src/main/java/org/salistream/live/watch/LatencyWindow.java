package org.salistream.live.watch;

import java.util.Arrays;

/**
 * The latest latency samples of one kind (milliseconds), in a fixed ring: percentiles over the last
 * {@code capacity} samples, and the count of all samples ever added. Thread-safe.
 */
public final class LatencyWindow {

    private final double[] ring;
    private long count;

    /** A window over the last {@code capacity} samples. */
    public LatencyWindow(int capacity) {
        this.ring = new double[capacity];
    }

    /** Adds one sample. */
    public synchronized void add(double millis) {
        ring[(int) (count++ % ring.length)] = millis;
    }

    /** Samples added so far. */
    public synchronized long count() {
        return count;
    }

    /** The p-th percentile (nearest rank) of the kept samples, NaN when none. */
    public synchronized double percentile(double p) {
        int n = (int) Math.min(count, ring.length);
        return percentile(Arrays.copyOf(ring, n), p);
    }

    /** The p-th percentile (nearest rank) of some values, NaN when there are none. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    /** A copy of the kept samples, oldest first. */
    public synchronized double[] samples() {
        int n = (int) Math.min(count, ring.length);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = ring[(int) ((count - n + i) % ring.length)];
        }
        return out;
    }
}
