package org.salistream.datasets.eval;

/**
 * The enhanced-alignment measure E_phi of Fan et al., "Enhanced-alignment Measure for Binary Foreground
 * Map Evaluation" (IJCAI 2018), for a binarised prediction, computed from pixel counts as the toolbox's
 * {@code Emeasure.cal_em_with_threshold} / {@code cal_em_with_cumsumhistogram} do: the enhanced alignment
 * matrix takes only four values, one per (prediction, ground truth) pair of classes.
 */
final class EnhancedAlignment {

    private static final double EPS = Math.ulp(1.0);

    private EnhancedAlignment() {}

    /**
     * @param fgFg   predicted-object pixels on the object
     * @param fgBg   predicted-object pixels off the object
     * @param gtFg   object pixels in the ground truth
     * @param size   all pixels
     * @param curve  true for the histogram (array) code path, false for the adaptive (scalar) one; they
     *               differ only in how Python sums the four parts (numpy's axis-0 sum vs. built-in sum from 0)
     */
    static double em(long fgFg, long fgBg, long gtFg, long size, boolean curve) {
        long predFg = fgFg + fgBg;
        long predBg = size - predFg;
        double enhancedSum;
        if (gtFg == 0) {
            enhancedSum = predBg;
        } else if (gtFg == size) {
            enhancedSum = predFg;
        } else {
            long bgFg = gtFg - fgFg;
            long bgBg = predBg - bgFg;
            double meanPred = (double) predFg / size;
            double meanGt = (double) gtFg / size;
            double predFgValue = 1 - meanPred;
            double predBgValue = 0 - meanPred;
            double gtFgValue = 1 - meanGt;
            double gtBgValue = 0 - meanGt;
            double p0 = part(predFgValue, gtFgValue, fgFg);
            double p1 = part(predFgValue, gtBgValue, fgBg);
            double p2 = part(predBgValue, gtFgValue, bgFg);
            double p3 = part(predBgValue, gtBgValue, bgBg);
            enhancedSum = curve ? ((p0 + p1) + p2) + p3 : (((0 + p0) + p1) + p2) + p3;
        }
        return enhancedSum / (size - 1 + EPS);
    }

    private static double part(double a, double b, long numel) {
        double align = 2 * (a * b) / (a * a + b * b + EPS);
        double enhanced = (align + 1) * (align + 1) / 4;
        return enhanced * numel;
    }
}
