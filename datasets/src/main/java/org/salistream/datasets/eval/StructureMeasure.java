package org.salistream.datasets.eval;

/**
 * The structure measure S_alpha of Fan et al., "Structure-measure: A New Way to Evaluate Foreground Maps"
 * (ICCV 2017), as the VPS toolbox's {@code metrics.Smeasure.cal_sm} computes it with alpha = 0.5:
 * {@code alpha * object + (1 - alpha) * region}, then {@code max(0, S)}.
 *
 * <p>NaN cases follow numpy and Python: a region or object part with one pixel has {@code ddof=1}
 * variance {@code 0/0}; an empty quadrant (centroid on the last row or column) has a NaN mean; either
 * makes S NaN, and Python's {@code max(0, nan)} returns 0 — so such frames score 0, as in the toolbox.
 */
final class StructureMeasure {

    private static final double ALPHA = 0.5;
    private static final double EPS = Math.ulp(1.0); // np.spacing(1)

    private StructureMeasure() {}

    /**
     * @param pred   normalised prediction, row-major, values in [0, 1]
     * @param gt     binary ground truth ({@code gt > 128})
     * @param fgArea number of true entries in {@code gt}
     */
    static double of(double[] pred, boolean[] gt, int fgArea, int w, int h) {
        int n = w * h;
        double y = (double) fgArea / n;
        double sm;
        if (y == 0) {
            sm = 1 - NumpySums.mean(pred);
        } else if (y == 1) {
            sm = NumpySums.mean(pred);
        } else {
            sm = ALPHA * object(pred, gt, fgArea, n) + (1 - ALPHA) * region(pred, gt, fgArea, w, h);
            sm = sm > 0 ? sm : 0; // Python max(0, sm): 0 unless sm > 0 (NaN included)
        }
        return sm;
    }

    private static double object(double[] pred, boolean[] gt, int fgArea, int n) {
        double[] fg = new double[fgArea];
        double[] bg = new double[n - fgArea];
        int i = 0;
        int j = 0;
        for (int p = 0; p < n; p++) {
            if (gt[p]) {
                fg[i++] = pred[p];
            } else {
                bg[j++] = 1 - pred[p];
            }
        }
        double u = (double) fgArea / n;
        return u * sObject(fg) + (1 - u) * sObject(bg);
    }

    /** {@code 2x / (x^2 + 1 + sigma_x + eps)} with numpy's mean and {@code std(ddof=1)}. */
    private static double sObject(double[] values) {
        double x = NumpySums.mean(values);
        double[] sq = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            double d = values[k] - x;
            sq[k] = d * d;
        }
        double sigma = Math.sqrt(NumpySums.sum(sq) / (values.length - 1.0));
        return 2 * x / (x * x + 1 + sigma + EPS);
    }

    private static double region(double[] pred, boolean[] gt, int fgArea, int w, int h) {
        // Centroid as np.argwhere(gt).mean(axis=0).round(), plus one (MATLAB indexing).
        long sumRow = 0;
        long sumCol = 0;
        for (int p = 0; p < w * h; p++) {
            if (gt[p]) {
                sumRow += p / w;
                sumCol += p % w;
            }
        }
        int y = (int) Math.rint((double) sumRow / fgArea) + 1;
        int x = (int) Math.rint((double) sumCol / fgArea) + 1;
        double area = (double) w * h;
        double w1 = (double) x * y / area;
        double w2 = (double) y * (w - x) / area;
        double w3 = (double) (h - y) * x / area;
        double w4 = 1 - w1 - w2 - w3;
        double[] gtd = new double[w * h];
        for (int p = 0; p < gtd.length; p++) {
            gtd[p] = gt[p] ? 1.0 : 0.0;
        }
        double s1 = ssim(pred, gtd, w, 0, 0, x, y);
        double s2 = ssim(pred, gtd, w, x, 0, w - x, y);
        double s3 = ssim(pred, gtd, w, 0, y, x, h - y);
        double s4 = ssim(pred, gtd, w, x, y, w - x, h - y);
        return w1 * s1 + w2 * s2 + w3 * s3 + w4 * s4;
    }

    /** {@code Smeasure.ssim} on the quadrant at (x0, y0) of size qw x qh. */
    private static double ssim(double[] pred, double[] gt, int stride, int x0, int y0, int qw, int qh) {
        int n = qw * qh;
        double x = NumpySums.sliceSum(pred, stride, x0, y0, qw, qh) / n;
        double y = NumpySums.sliceSum(gt, stride, x0, y0, qw, qh) / n;
        double[] dx = new double[n];
        double[] dy = new double[n];
        double[] dxx = new double[n];
        double[] dyy = new double[n];
        double[] dxy = new double[n];
        for (int r = 0; r < qh; r++) {
            for (int c = 0; c < qw; c++) {
                int k = r * qw + c;
                int p = (y0 + r) * stride + x0 + c;
                dx[k] = pred[p] - x;
                dy[k] = gt[p] - y;
                dxx[k] = dx[k] * dx[k];
                dyy[k] = dy[k] * dy[k];
                dxy[k] = dx[k] * dy[k];
            }
        }
        double sigmaX = NumpySums.sum(dxx) / (n - 1.0);
        double sigmaY = NumpySums.sum(dyy) / (n - 1.0);
        double sigmaXY = NumpySums.sum(dxy) / (n - 1.0);
        double alpha = 4 * x * y * sigmaXY;
        double beta = (x * x + y * y) * (sigmaX + sigmaY);
        if (alpha != 0) { // NaN included, as in Python
            return alpha / (beta + EPS);
        } else if (beta == 0) {
            return 1;
        }
        return 0;
    }
}
