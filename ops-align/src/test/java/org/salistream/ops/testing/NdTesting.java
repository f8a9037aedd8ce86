package org.salistream.ops.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.salistream.ops.io.NpyArray;

/**
 * Test helpers between {@link NpyArray}, Java arrays and DJL NDArrays, and closeness assertions that say
 * where and by how much two arrays differ.
 */
public final class NdTesting {

    private NdTesting() {}

    /** A golden array as an NDArray of the given dtype on {@code manager}'s device. */
    public static NDArray toNd(NDManager manager, NpyArray a, DataType dtype) {
        return toNd(manager, a.toDoubleArray(), a.shape(), dtype);
    }

    /** Doubles as an NDArray of the given dtype on {@code manager}'s device. */
    public static NDArray toNd(NDManager manager, double[] values, long[] shape, DataType dtype) {
        if (dtype == DataType.FLOAT64) {
            return manager.create(values, new Shape(shape));
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        NDArray a = manager.create(f, new Shape(shape));
        return dtype == DataType.FLOAT32 ? a : a.toType(dtype, false);
    }

    /** The values of an NDArray as doubles (copied to the host). */
    public static double[] values(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        try (NDArray d = a.toType(DataType.FLOAT64, true)) {
            return d.toDoubleArray();
        }
    }

    /** Uniform doubles in {@code [lo, hi)}. */
    public static double[] uniform(Random rnd, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return v;
    }

    /** The largest absolute value (at least a tiny positive number, so that it can divide). */
    public static double maxAbs(double[] v) {
        double m = 1e-300;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    /**
     * Asserts {@code max|actual - expected| <= tol * scale}, where scale is 1 for an absolute tolerance or
     * {@code max|expected|} for a relative one.
     *
     * @return the largest absolute difference
     */
    public static double assertClose(String what, double[] expected, double[] actual, double tol, boolean relative) {
        assertTrue(
                expected.length == actual.length,
                what + ": length " + actual.length + " but expected " + expected.length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        double scale = relative ? maxAbs(expected) : 1.0;
        double limit = tol * scale;
        if (Boolean.getBoolean("sali.parity.verbose")) {
            // The measured differences behind each tolerance (README, Testing): -Dsali.parity.verbose=true.
            System.out.printf(
                    "  parity %-40s max |diff| %.3g = %.3g of tolerance %.1g%s%n",
                    what, worst, worst / limit, tol, relative ? " relative" : "");
        }
        final double w = worst;
        final int a = at;
        assertTrue(
                w <= limit,
                () -> what + ": max |diff| " + w + " at flat index " + a + " (expected "
                        + expected[a] + ", got " + actual[a] + ") exceeds " + limit
                        + (relative ? " (" + tol + " relative to max |expected| " + scale + ")" : ""));
        return worst;
    }

    /** Asserts that an NDArray has the given shape. */
    public static void assertShape(long[] expected, NDArray a) {
        assertArrayEquals(expected, a.getShape().getShape(), "shape " + a.getShape());
    }

    /**
     * Collects garbage and refills freed direct memory with 1e30, so that a tensor still pointing at a
     * released Java buffer (DJL's {@code create} wraps one with {@code from_blob}) reads garbage.
     */
    public static void churnNativeMemory() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 50; i++) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(8 * 1024 * (1 + i % 16));
                while (b.remaining() >= 8) {
                    b.putDouble(1e30);
                }
            }
        }
    }
}
