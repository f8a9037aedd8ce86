package org.salistream.datasets.eval;

/**
 * The exact Euclidean feature transform of {@code scipy.ndimage.distance_transform_edt(input,
 * return_indices=True)} in 2-D: for every pixel, the nearest pixel where {@code input} is zero, found with
 * the separable Voronoi algorithm of Maurer, Qi and Raghavan (IEEE TPAMI 25, 2003) in the order SciPy's
 * {@code NI_EuclideanFeatureTransform} runs it — every column first (axis 0), then every row (axis 1).
 * Ties between equally near pixels are resolved the same way ({@code delta1 <= delta2} keeps the earlier
 * candidate), which matters to the weighted F-measure: it copies the error of the nearest foreground pixel.
 * All distances are small integers, so the arithmetic is exact in {@code long}.
 */
final class FeatureTransform {

    /** Row of the nearest zero pixel, row-major per pixel. */
    final int[] nearestRow;
    /** Column of the nearest zero pixel, row-major per pixel. */
    final int[] nearestCol;

    private final int width;

    private FeatureTransform(int width, int[] nearestRow, int[] nearestCol) {
        this.width = width;
        this.nearestRow = nearestRow;
        this.nearestCol = nearestCol;
    }

    /**
     * @param zero   row-major flags of the feature pixels (where SciPy's input is zero); at least one set
     * @param width  columns
     * @param height rows
     */
    static FeatureTransform of(boolean[] zero, int width, int height) {
        int n = width * height;
        int[] fr = new int[n];
        int[] fc = new int[n];
        int mx = Math.max(width, height);
        long[] lineR = new long[mx];
        long[] lineC = new long[mx];
        int[] g = new int[mx];
        // Axis 0: each column on its own (the other coordinate is the column itself).
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < height; r++) {
                int p = r * width + c;
                if (zero[p]) {
                    lineR[r] = r;
                    lineC[r] = c;
                } else {
                    lineR[r] = -1;
                    lineC[r] = c;
                }
            }
            voronoi(lineR, lineC, height, 0, c, g);
            for (int r = 0; r < height; r++) {
                int p = r * width + c;
                fr[p] = (int) lineR[r];
                fc[p] = (int) lineC[r];
            }
        }
        // Axis 1: each row, starting from the column results.
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                lineR[c] = fr[r * width + c];
                lineC[c] = fc[r * width + c];
            }
            voronoi(lineR, lineC, width, 1, r, g);
            for (int c = 0; c < width; c++) {
                fr[r * width + c] = (int) lineR[c];
                fc[r * width + c] = (int) lineC[c];
            }
        }
        return new FeatureTransform(width, fr, fc);
    }

    /** Euclidean distance from pixel {@code p} to its nearest zero pixel. */
    double distance(int p) {
        long dr = nearestRow[p] - p / width;
        long dc = nearestCol[p] - p % width;
        return Math.sqrt((double) (dr * dr + dc * dc));
    }

    /**
     * SciPy's {@code _VoronoiFT} along one line. {@code fr/fc} hold the candidates (row < 0: none) and
     * receive the nearest ones. {@code d} is the axis of the line (0: along rows of a column, 1: along a
     * row); {@code other} the fixed coordinate of the line on the other axis.
     */
    private static void voronoi(long[] fr, long[] fc, int len, int d, long other, int[] g) {
        long[] f0 = fr.clone(); // snapshot: SciPy copies the line into f before writing results
        long[] f1 = fc.clone();
        long[] along = d == 0 ? f0 : f1;
        long[] across = d == 0 ? f1 : f0;
        int l = -1;
        for (int ii = 0; ii < len; ii++) {
            if (f0[ii] >= 0) {
                long fd = along[ii];
                long tw = across[ii] - other;
                long wR = tw * tw;
                while (l >= 1) {
                    int idx1 = g[l];
                    int idx2 = g[l - 1];
                    long f1d = along[idx1];
                    long a = f1d - along[idx2];
                    long b = fd - f1d;
                    long c = a + b;
                    long tu = across[idx2] - other;
                    long tv = across[idx1] - other;
                    long uR = tu * tu;
                    long vR = tv * tv;
                    if (c * vR - b * uR - a * wR - a * b * c <= 0) {
                        break;
                    }
                    --l;
                }
                ++l;
                g[l] = ii;
            }
        }
        int maxl = l;
        if (maxl >= 0) {
            l = 0;
            for (int ii = 0; ii < len; ii++) {
                long delta1 = dist2(along[g[l]] - ii, across[g[l]] - other);
                while (l < maxl) {
                    long delta2 = dist2(along[g[l + 1]] - ii, across[g[l + 1]] - other);
                    if (delta1 <= delta2) {
                        break;
                    }
                    delta1 = delta2;
                    ++l;
                }
                int idx = g[l];
                fr[ii] = f0[idx];
                fc[ii] = f1[idx];
            }
        }
    }

    private static long dist2(long a, long b) {
        return a * a + b * b;
    }
}
