package org.salistream.model.testing;

import java.util.Arrays;

/**
 * Where SALI's top-k memory read is ill-conditioned: query positions whose k-th and (k+1)-th largest
 * affinities (computed in float64 from the reference's own keys) are closer than {@code eps}. There, any
 * float32 port that is not bit-identical to the reference (our keys differ from it by ~1e-6) may keep a
 * different k-th entry, and the readout differs by that entry's softmax weight times a value difference.
 * Parity tests hold every other position to the golden tolerance and report these.
 */
public final class TopKConditioning {

    private TopKConditioning() {}

    /**
     * @param memKeys (CK, N) channel-major
     * @param queryKeys (CK, Q) channel-major
     * @return per query position, whether the top-k boundary gap is below {@code eps}
     */
    public static boolean[] illConditioned(
            float[] memKeys, int n, float[] queryKeys, int q, int ck, int k, double eps) {
        boolean[] out = new boolean[q];
        if (k >= n) {
            return out; // every entry is kept: no boundary
        }
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < ck; c++) {
                norm[i] += (double) memKeys[c * n + i] * memKeys[c * n + i];
            }
        }
        double[] aff = new double[n];
        for (int j = 0; j < q; j++) {
            for (int i = 0; i < n; i++) {
                double dot = 0;
                for (int c = 0; c < ck; c++) {
                    dot += (double) memKeys[c * n + i] * queryKeys[c * q + j];
                }
                aff[i] = (2 * dot - norm[i]) / Math.sqrt(ck);
            }
            double[] sorted = aff.clone();
            Arrays.sort(sorted);
            out[j] = sorted[n - k] - sorted[n - k - 1] < eps;
        }
        return out;
    }

    /** How many positions are flagged. */
    public static int count(boolean[] flags) {
        int c = 0;
        for (boolean b : flags) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
