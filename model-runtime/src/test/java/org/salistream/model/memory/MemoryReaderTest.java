package org.salistream.model.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The memory read (one product, top-k along contiguous memory, gathered readout, usage from the kept
 * weights) against the published {@code match_memory} written out densely in double precision: the dense
 * affinity (N, HW), {@code softmax_w_top} scattering the top-k softmax into a matrix of zeros, the readout
 * {@code V_m A} and the usage {@code A.sum(dim=2)}; the inference read (blocked top-k) as well.
 */
class MemoryReaderTest {

    private static final int CK = 4;
    private static final int CV = 16;

    @Test
    void readoutAndUsageAreThePublishedDenseReadsInFloat64() {
        checkAgainstDense(6, 5, 3 * 30, 20, 7, false);
        checkAgainstDense(6, 5, 3 * 30, 20, 7, true);
    }

    @Test
    void aMemorySmallerThanTopKKeepsEveryEntry() {
        checkAgainstDense(4, 4, 12, 20, 8, false);
        checkAgainstDense(4, 4, 12, 20, 8, true);
    }

    private static void checkAgainstDense(int h, int w, int n, int topK, long seed, boolean inference) {
        Random r = new Random(seed);
        int hw = h * w;
        double[] kq = gaussian(r, CK * hw);
        double[] vq = gaussian(r, CV * hw);
        double[] mk = gaussian(r, CK * n);
        double[] mv = gaussian(r, CV * n);
        double[][] dense = denseWeights(mk, kq, n, hw, topK); // (N, HW)
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] in = {
                m.create(kq, new Shape(1, CK, h, w)),
                m.create(vq, new Shape(1, CV, h, w)),
                m.create(mk, new Shape(1, CK, n)),
                m.create(mv, new Shape(1, CV, n))
            };
            NDList out = inference
                    ? MemoryReader.readForInference(in[0], in[1], in[2], in[3], topK)
                    : MemoryReader.read(in[0], in[1], in[2], in[3], topK);
            NDArray readout = out.get(0);
            assertEquals(new Shape(1, 2 * CV, h, w), readout.getShape());
            double[] got = readout.toDoubleArray();
            for (int c = 0; c < CV; c++) {
                for (int j = 0; j < hw; j++) {
                    double want = 0;
                    for (int i = 0; i < n; i++) {
                        want += mv[c * n + i] * dense[i][j];
                    }
                    assertEquals(want, got[c * hw + j], 1e-12, "readout channel " + c + " position " + j);
                    assertEquals(vq[c * hw + j], got[(CV + c) * hw + j], 0.0, "query value channel " + c);
                }
            }
            float[] usage = MemoryReader.usage(out.get(1), out.get(2), n);
            for (int i = 0; i < n; i++) {
                double want = Arrays.stream(dense[i]).sum();
                assertEquals(want, usage[i], 1e-6 * Math.max(1, want), "usage of entry " + i);
            }
            assertArrayEquals(
                    new long[] {1, hw, Math.min(topK, n)}, out.get(1).getShape().getShape());
        }
    }

    /** The published softmax_w_top of the published affinity, densely, in double precision: (N, HW). */
    private static double[][] denseWeights(double[] mk, double[] kq, int n, int hw, int topK) {
        int k = Math.min(topK, n);
        double[][] a = new double[n][hw];
        for (int j = 0; j < hw; j++) {
            Integer[] order = new Integer[n];
            double[] aff = new double[n];
            for (int i = 0; i < n; i++) {
                double dot = 0;
                double norm = 0;
                for (int c = 0; c < CK; c++) {
                    dot += mk[c * n + i] * kq[c * hw + j];
                    norm += mk[c * n + i] * mk[c * n + i];
                }
                aff[i] = (2 * dot - norm) / Math.sqrt(CK);
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Double.compare(aff[y], aff[x]));
            double max = aff[order[0]];
            double sum = 0;
            for (int t = 0; t < k; t++) {
                sum += Math.exp(aff[order[t]] - max);
            }
            for (int t = 0; t < k; t++) {
                a[order[t]][j] = Math.exp(aff[order[t]] - max) / sum;
            }
        }
        return a;
    }

    private static double[] gaussian(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }
}
