package org.salistream.datasets.eval;

/**
 * Float64 summation in numpy's order, so that means computed here round exactly as the toolbox's do.
 * Where a mean is compared with pixel values (the adaptive thresholds {@code 2 * pred.mean()}) a last-bit
 * difference could flip a pixel, so the order matters there; elsewhere it keeps the port bit-faithful.
 *
 * <ul>
 *   <li>A contiguous 1-D or 2-D float64 array: numpy's {@code pairwise_sum} (blocks of at most 128
 *       summed with 8 accumulators, larger ranges split in halves rounded down to a multiple of 8).</li>
 *   <li>A non-contiguous 2-D slice ({@code a[0:y, 0:x]} with {@code x} below the row length): the
 *       reduction iterator buffers whole rows, {@code 8192 / x} of them at a time, sums each buffer
 *       pairwise and adds the buffers in order (checked against numpy 2.4).</li>
 *   <li>A reduction over axis 0 ({@code np.mean(list_of_curves, axis=0)}): rows added in order.</li>
 * </ul>
 */
final class NumpySums {

    private static final int BLOCK = 128;
    private static final int BUFFER = 8192;

    private NumpySums() {}

    /** numpy's pairwise sum of {@code a[off .. off+n)}. */
    static double pairwise(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else if (n <= BLOCK) {
            double r0 = a[off];
            double r1 = a[off + 1];
            double r2 = a[off + 2];
            double r3 = a[off + 3];
            double r4 = a[off + 4];
            double r5 = a[off + 5];
            double r6 = a[off + 6];
            double r7 = a[off + 7];
            int i;
            int end = n - (n % 8);
            for (i = 8; i < end; i += 8) {
                r0 += a[off + i];
                r1 += a[off + i + 1];
                r2 += a[off + i + 2];
                r3 += a[off + i + 3];
                r4 += a[off + i + 4];
                r5 += a[off + i + 5];
                r6 += a[off + i + 6];
                r7 += a[off + i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwise(a, off, n2) + pairwise(a, off + n2, n - n2);
        }
    }

    /** {@code np.sum} of a whole contiguous array. */
    static double sum(double[] a) {
        return pairwise(a, 0, a.length);
    }

    /** {@code np.mean} of a whole contiguous array (NaN when empty, as numpy). */
    static double mean(double[] a) {
        return pairwise(a, 0, a.length) / a.length;
    }

    /**
     * {@code np.sum(a[y0:y0+h, x0:x0+w])} for a row-major array whose rows hold {@code stride} values.
     * A slice that spans whole rows is contiguous and summed pairwise at once; otherwise rows are
     * buffered as numpy's reduction iterator does.
     */
    static double sliceSum(double[] a, int stride, int x0, int y0, int w, int h) {
        if (w <= 0 || h <= 0) {
            return 0.0;
        }
        double[] flat = new double[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(a, (y0 + y) * stride + x0, flat, y * w, w);
        }
        if (w == stride) {
            return pairwise(flat, 0, flat.length);
        }
        int chunk = w >= BUFFER ? w : (BUFFER / w) * w;
        double res = 0.0;
        for (int off = 0; off < flat.length; off += chunk) {
            res += pairwise(flat, off, Math.min(chunk, flat.length - off));
        }
        return res;
    }

    /** {@code np.max} of a 1-D array: NaN as soon as any element is NaN. */
    static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            if (v > m) {
                m = v;
            }
        }
        return m;
    }
}
