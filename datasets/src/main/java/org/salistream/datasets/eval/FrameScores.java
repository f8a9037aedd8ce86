package org.salistream.datasets.eval;

/**
 * What the toolbox's metric classes record for one frame in their {@code step()}: five scalars and six
 * 256-threshold curves. A field stays NaN / null when its metric class was not requested.
 */
final class FrameScores {

    double smeasure = Double.NaN;
    double wfmeasure = Double.NaN;
    double mae = Double.NaN;
    double adaptiveEm = Double.NaN;
    double adaptiveFm = Double.NaN;
    /** E-measure per threshold, index k for threshold 255 - k on the uint8-quantised prediction. */
    double[] emCurve;
    /** F-measure (beta^2 = 0.3) per threshold, indexed as {@link #emCurve}. */
    double[] fmCurve;
    /** Sensitivity per threshold {@code np.linspace(1, 0, 256)[k]} on the normalised prediction. */
    double[] sensitivity;

    double[] specificity;
    double[] dice;
    double[] iou;

    /** The scalar the toolbox records for a scalar metric. */
    double scalar(VpsMetric metric) {
        return switch (metric) {
            case SMEASURE -> smeasure;
            case WFMEASURE -> wfmeasure;
            case MAE -> mae;
            case ADP_EM -> adaptiveEm;
            case ADP_FM -> adaptiveFm;
            default -> throw new IllegalArgumentException(metric + " is a curve metric");
        };
    }

    /** The curve the toolbox records for a curve metric (mean or max over thresholds). */
    double[] curve(VpsMetric metric) {
        return switch (metric) {
            case MEAN_EM, MAX_EM -> emCurve;
            case MEAN_FM, MAX_FM -> fmCurve;
            case MEAN_SEN, MAX_SEN -> sensitivity;
            case MEAN_SPE, MAX_SPE -> specificity;
            case MEAN_DICE, MAX_DICE -> dice;
            case MEAN_IOU, MAX_IOU -> iou;
            default -> throw new IllegalArgumentException(metric + " is a scalar metric");
        };
    }
}
