package org.salistream.datasets.eval;

/**
 * The weighted F-measure of Margolin, Zelnik-Manor and Tal, "How to Evaluate Foreground Maps?" (CVPR
 * 2014), as the toolbox's {@code metrics.WeightedFmeasure.cal_wfm} computes it with beta = 1: the error of
 * each background pixel is replaced by that of its nearest foreground pixel (SciPy's Euclidean feature
 * transform), blurred with MATLAB's {@code fspecial('gaussian', 7, 5)} through {@code ndimage.convolve}
 * (zero padding), weighted by {@code 2 - exp(log(0.5) / 5 * distance)} off the object, and turned into
 * weighted precision and recall. An all-background ground truth scores 0, as the toolbox's {@code step}.
 */
final class WeightedFMeasure {

    private static final double EPS = Math.ulp(1.0);
    private static final double BETA = 1;
    private static final double[] KERNEL = gaussian7x7();

    private WeightedFMeasure() {}

    static double of(double[] pred, boolean[] gt, int fgArea, int w, int h) {
        if (fgArea == 0) {
            return 0;
        }
        int n = w * h;
        FeatureTransform ft = FeatureTransform.of(gt, w, h);
        double[] e = new double[n];
        for (int p = 0; p < n; p++) {
            e[p] = Math.abs(pred[p] - (gt[p] ? 1.0 : 0.0));
        }
        double[] et = new double[n];
        for (int p = 0; p < n; p++) {
            et[p] = gt[p] ? e[p] : e[ft.nearestRow[p] * w + ft.nearestCol[p]];
        }
        double[] ea = convolve(et, w, h);
        double lnHalfOver5 = StrictMath.log(0.5) / 5;
        double[] ewFg = new double[fgArea];
        double[] ewBg = new double[n - fgArea];
        int i = 0;
        int j = 0;
        for (int p = 0; p < n; p++) {
            double minEEa = gt[p] && ea[p] < e[p] ? ea[p] : e[p];
            if (gt[p]) {
                ewFg[i++] = minEEa * 1.0;
            } else {
                double b = 2 - StrictMath.exp(lnHalfOver5 * ft.distance(p));
                ewBg[j++] = minEEa * b;
            }
        }
        double sumFg = NumpySums.sum(ewFg);
        double tpw = fgArea - sumFg;
        double fpw = NumpySums.sum(ewBg);
        double r = 1 - sumFg / fgArea;
        double precision = tpw / (tpw + fpw + EPS);
        return (1 + BETA) * r * precision / (r + BETA * precision + EPS);
    }

    /** {@code scipy.ndimage.convolve(x, K, mode='constant', cval=0)} for the symmetric 7x7 kernel. */
    private static double[] convolve(double[] x, int w, int h) {
        double[] out = new double[w * h];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double tmp = 0.0;
                int k = 0;
                for (int dr = -3; dr <= 3; dr++) {
                    int rr = r + dr;
                    for (int dc = -3; dc <= 3; dc++, k++) {
                        int cc = c + dc;
                        if (rr >= 0 && rr < h && cc >= 0 && cc < w) {
                            tmp += x[rr * w + cc] * KERNEL[k];
                        }
                    }
                }
                out[r * w + c] = tmp;
            }
        }
        return out;
    }

    /** {@code matlab_style_gauss2D((7, 7), sigma=5)}: exp(-(x^2 + y^2) / 50), normalised by its sum. */
    private static double[] gaussian7x7() {
        double[] k = new double[49];
        int i = 0;
        for (int y = -3; y <= 3; y++) {
            for (int x = -3; x <= 3; x++) {
                double xx = x;
                double yy = y;
                k[i++] = StrictMath.exp(-(xx * xx + yy * yy) / (2 * 5 * 5));
            }
        }
        double sum = NumpySums.sum(k);
        for (int j = 0; j < k.length; j++) {
            k[j] /= sum;
        }
        return k;
    }
}
