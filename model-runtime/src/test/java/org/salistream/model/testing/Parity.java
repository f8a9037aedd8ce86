package org.salistream.model.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.salistream.ops.io.NpyArray;

/**
 * Parity checks against the golden reference outputs: a faithful float32 port meets max |diff| <= 1e-3
 * and mean |diff| <= 1e-5 on stage tensors and logits (golden README).
 */
public final class Parity {

    /** Max absolute difference allowed on a stage tensor. */
    public static final double MAX_TOL = 1e-3;
    /** Mean absolute difference allowed on a stage tensor. */
    public static final double MEAN_TOL = 1e-5;

    private Parity() {
    }

    /** The max and mean absolute differences. */
    public static double[] diff(float[] expected, float[] actual) {
        double max = 0;
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (Double.isNaN(d)) {
                return new double[] {Double.NaN, Double.NaN};
            }
            max = Math.max(max, d);
            sum += d;
        }
        return new double[] {max, sum / expected.length};
    }

    /** Asserts shape and the golden tolerances, and returns the differences for reporting. */
    public static double[] assertClose(String name, NpyArray expected, float[] actual, long[] actualShape) {
        assertArrayEquals(expected.shape(), actualShape, name + ": shape");
        return assertClose(name, expected.toFloatArray(), actual, MAX_TOL, MEAN_TOL);
    }

    /** Asserts max and mean absolute differences. */
    public static double[] assertClose(String name, float[] expected, float[] actual, double maxTol, double meanTol) {
        assertTrue(expected.length == actual.length, name + ": " + actual.length + " values, expected " + expected.length);
        double[] d = diff(expected, actual);
        if (Boolean.getBoolean("sali.parity.verbose")) {
            System.out.printf("  %-22s max %.3g mean %.3g%n", name, d[0], d[1]);
        }
        assertTrue(d[0] <= maxTol && d[1] <= meanTol,
                String.format("%s: max |diff| %.3g (<= %.0g), mean |diff| %.3g (<= %.0g)", name, d[0], maxTol, d[1], meanTol));
        return d;
    }
}
