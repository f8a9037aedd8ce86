package org.salistream.datasets.eval;

import java.util.Set;
import org.salistream.datasets.GrayImage;

/**
 * One frame through the toolbox's metric classes ({@code eval/metrics.py}): the evaluator's shape check
 * ({@code cv2.resize(pred, (W, H))} when the prediction's size differs from the ground truth's), then
 * {@code _prepare_data} ({@code gt > 128}; {@code pred / 255}, min-max normalised unless constant) and
 * each requested class's {@code step}. Float64 throughout, with numpy's summation order.
 *
 * <p>Everything but the S-measure, weighted F-measure and MAE depends only on two histograms over the 256
 * possible prediction bytes (foreground and background), so those curves cost O(256 x 256) per frame.
 */
final class FrameEvaluator {

    private static final double EPS = Math.ulp(1.0);
    private static final int BINS = 256;
    private static final double FM_BETA = 0.3;
    /** {@code np.linspace(1, 0, 256)}: {@code k * (-1/255) + 1}, the last one exactly 0. */
    static final double[] MEDICAL_THRESHOLDS = medicalThresholds();

    private FrameEvaluator() {}

    static FrameScores evaluate(GrayImage gtImage, GrayImage predImage, Set<VpsMetric.Module> modules) {
        int w = gtImage.width();
        int h = gtImage.height();
        GrayImage predSized =
                predImage.width() == w && predImage.height() == h ? predImage : CvResize.resize(predImage, w, h);
        byte[] g = gtImage.pixels();
        byte[] pr = predSized.pixels();
        int n = w * h;

        // _prepare_data: gt > 128; pred / 255, then (pred - min) / (max - min) when max != min.
        int vmin = 255;
        int vmax = 0;
        for (byte b : pr) {
            int v = b & 0xFF;
            vmin = Math.min(vmin, v);
            vmax = Math.max(vmax, v);
        }
        double[] lut = new double[BINS];
        double mn = vmin / 255.0;
        double mx = vmax / 255.0;
        for (int v = 0; v < BINS; v++) {
            double x = v / 255.0;
            lut[v] = vmax != vmin ? (x - mn) / (mx - mn) : x;
        }
        double[] pred = new double[n];
        boolean[] gt = new boolean[n];
        int fgArea = 0;
        long[] fgHist = new long[BINS]; // pixels per prediction byte, on the object
        long[] bgHist = new long[BINS];
        for (int p = 0; p < n; p++) {
            int v = pr[p] & 0xFF;
            pred[p] = lut[v];
            boolean f = (g[p] & 0xFF) > 128;
            gt[p] = f;
            if (f) {
                fgArea++;
                fgHist[v]++;
            } else {
                bgHist[v]++;
            }
        }

        FrameScores s = new FrameScores();
        if (modules.contains(VpsMetric.Module.SMEASURE)) {
            s.smeasure = StructureMeasure.of(pred, gt, fgArea, w, h);
        }
        if (modules.contains(VpsMetric.Module.WEIGHTED_FMEASURE)) {
            s.wfmeasure = WeightedFMeasure.of(pred, gt, fgArea, w, h);
        }
        if (modules.contains(VpsMetric.Module.MAE)) {
            double[] err = new double[n];
            for (int p = 0; p < n; p++) {
                err[p] = Math.abs(pred[p] - (gt[p] ? 1.0 : 0.0));
            }
            s.mae = NumpySums.mean(err);
        }
        boolean em = modules.contains(VpsMetric.Module.EMEASURE);
        boolean fm = modules.contains(VpsMetric.Module.FMEASURE);
        if (em || fm) {
            // Histograms of (pred * 255).astype(uint8), flipped and accumulated: index k counts pixels >= 255 - k.
            long[] fgQ = new long[BINS];
            long[] bgQ = new long[BINS];
            for (int v = vmin; v <= vmax; v++) { // bytes outside [vmin, vmax] map outside [0, 1] and are absent
                int q = (int) (lut[v] * 255);
                fgQ[q] += fgHist[v];
                bgQ[q] += bgHist[v];
            }
            long[] fgCum = new long[BINS];
            long[] bgCum = new long[BINS];
            long a = 0;
            long b = 0;
            for (int k = 0; k < BINS; k++) {
                a += fgQ[BINS - 1 - k];
                b += bgQ[BINS - 1 - k];
                fgCum[k] = a;
                bgCum[k] = b;
            }
            double threshold = Math.min(2 * NumpySums.mean(pred), 1.0);
            long adaptFg = 0; // pred >= threshold on the object
            long adaptBg = 0;
            for (int v = 0; v < BINS; v++) {
                if (lut[v] >= threshold) {
                    adaptFg += fgHist[v];
                    adaptBg += bgHist[v];
                }
            }
            if (em) {
                s.emCurve = new double[BINS];
                for (int k = 0; k < BINS; k++) {
                    s.emCurve[k] = EnhancedAlignment.em(fgCum[k], bgCum[k], fgArea, n, true);
                }
                s.adaptiveEm = EnhancedAlignment.em(adaptFg, adaptBg, fgArea, n, false);
            }
            if (fm) {
                s.fmCurve = fmCurve(fgCum, bgCum, fgArea);
                s.adaptiveFm = adaptiveFm(adaptFg, adaptBg, fgArea);
            }
        }
        if (modules.contains(VpsMetric.Module.MEDICAL)) {
            medical(lut, fgHist, bgHist, fgArea, n, s);
        }
        return s;
    }

    /** {@code Fmeasure.cal_pr}: precision, recall and F_beta per threshold. */
    private static double[] fmCurve(long[] tp, long[] bgCum, int fgArea) {
        double[] out = new double[BINS];
        double t = Math.max(fgArea, 1);
        for (int k = 0; k < BINS; k++) {
            long ps = tp[k] + bgCum[k];
            if (ps == 0) {
                ps = 1;
            }
            double precision = (double) tp[k] / ps;
            double recall = tp[k] / t;
            double numerator = (1 + FM_BETA) * precision * recall;
            double denominator = numerator == 0 ? 1 : FM_BETA * precision + recall;
            out[k] = numerator / denominator;
        }
        return out;
    }

    /** {@code Fmeasure.cal_adaptive_fm}. */
    private static double adaptiveFm(long inter, long bg, int fgArea) {
        if (inter == 0) {
            return 0;
        }
        double pre = (double) inter / (inter + bg);
        double rec = (double) inter / fgArea;
        return (1 + FM_BETA) * pre * rec / (FM_BETA * pre + rec);
    }

    /** {@code Medical.step}: sensitivity, specificity, Dice and IoU at {@code pred >= threshold}. */
    private static void medical(double[] lut, long[] fgHist, long[] bgHist, int fgArea, int n, FrameScores s) {
        s.sensitivity = new double[BINS];
        s.specificity = new double[BINS];
        s.dice = new double[BINS];
        s.iou = new double[BINS];
        for (int k = 0; k < BINS; k++) {
            double thr = Math.min(MEDICAL_THRESHOLDS[k], 1);
            long numAnd = 0;
            long numRec = 0;
            for (int v = 0; v < BINS; v++) {
                if (lut[v] >= thr) {
                    numAnd += fgHist[v];
                    numRec += fgHist[v] + bgHist[v];
                }
            }
            long numNoRec = n - numRec;
            long fn = fgArea - numAnd;
            long fp = numRec - numAnd;
            long tn = numNoRec - fn;
            if (numAnd == 0) {
                continue; // all four are 0, as the toolbox sets them
            }
            s.iou[k] = (double) numAnd / (fn + numRec);
            s.sensitivity[k] = (double) numAnd / fgArea;
            s.specificity[k] = (double) tn / (tn + fp); // 0/0 = NaN for an all-object frame, as numpy
            s.dice[k] = (double) (2 * numAnd) / (fgArea + numRec);
        }
    }

    private static double[] medicalThresholds() {
        double[] t = new double[BINS];
        double step = -1.0 / (BINS - 1);
        for (int k = 0; k < BINS; k++) {
            t[k] = k * step + 1.0;
        }
        t[BINS - 1] = 0.0;
        return t;
    }

    /** Machine epsilon used by the toolbox, {@code np.spacing(1)}. */
    static double eps() {
        return EPS;
    }
}
