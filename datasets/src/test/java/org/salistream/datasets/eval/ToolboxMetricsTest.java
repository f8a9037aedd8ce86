package org.salistream.datasets.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.salistream.datasets.GrayImage;

/**
 * Each toolbox metric on tiny frames whose value is worked out by hand (and agrees with the published
 * {@code metrics.py}). A case of three frames is evaluated on its middle frame only.
 */
class ToolboxMetricsTest {

    private static final double EXACT = 1e-12;

    static GrayImage img(int w, int h, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return new GrayImage(w, h, b);
    }

    /** The toolbox's result for a case whose only evaluated frame is (gt, pred). */
    static VpsScores one(GrayImage gt, GrayImage pred) {
        StreamingEvaluator ev = new StreamingEvaluator("split", "model");
        GrayImage blank = GrayImage.blank(gt.width(), gt.height());
        ev.add("c", 0, blank, blank); // dropped: first frame of the case
        ev.add("c", 1, gt, pred);
        ev.add("c", 2, blank, blank); // held back: the last frame
        return ev.result();
    }

    // gt: top row object; pred: left column at 255 -> normalised [[1, 0], [1, 0]].
    private static final GrayImage GT = img(2, 2, 255, 255, 0, 0);
    private static final GrayImage PRED = img(2, 2, 255, 0, 255, 0);

    @Test
    void medicalCurvesCountTheThresholdedPixels() {
        VpsScores s = one(GT, PRED);
        // Thresholds 1 - k/255 > 0 keep the two predicted pixels: TP 1, FP 1, FN 1, TN 1 ->
        // sensitivity 1/2, specificity 1/2, Dice 2/4, IoU 1/3. Threshold 0 keeps all four:
        // sensitivity 1, specificity 0/(0+2) = 0, Dice 4/6, IoU 2/4.
        assertEquals((255 * 0.5 + 1) / 256, s.value(VpsMetric.MEAN_SEN), EXACT);
        assertEquals(1.0, s.value(VpsMetric.MAX_SEN), EXACT);
        assertEquals((255 * 0.5 + 0) / 256, s.value(VpsMetric.MEAN_SPE), EXACT);
        assertEquals(0.5, s.value(VpsMetric.MAX_SPE), EXACT);
        assertEquals((255 * 0.5 + 2.0 / 3) / 256, s.value(VpsMetric.MEAN_DICE), EXACT);
        assertEquals(2.0 / 3, s.value(VpsMetric.MAX_DICE), EXACT);
        assertEquals((255 / 3.0 + 0.5) / 256, s.value(VpsMetric.MEAN_IOU), EXACT);
        assertEquals(0.5, s.value(VpsMetric.MAX_IOU), EXACT);
    }

    @Test
    void fMeasureUsesBetaSquaredPointThree() {
        VpsScores s = one(GT, PRED);
        // uint8 thresholds 255..1: precision 1/2, recall 1/2 -> 1.3 * 0.25 / (0.15 + 0.5) = 0.5.
        // Threshold 0: precision 2/4, recall 1 -> 1.3 * 0.5 / (0.15 + 1) = 0.65 / 1.15.
        assertEquals(0.65 / 1.15, s.value(VpsMetric.MAX_FM), EXACT);
        assertEquals((255 * 0.5 + 0.65 / 1.15) / 256, s.value(VpsMetric.MEAN_FM), EXACT);
        // Adaptive threshold min(2 * mean, 1) = 1: the two predicted pixels again -> 0.5.
        assertEquals(0.5, s.value(VpsMetric.ADP_FM), EXACT);
    }

    @Test
    void eMeasureFromTheFourAlignmentValues() {
        VpsScores s = one(GT, PRED);
        // Prediction and truth both have mean 1/2: the demeaned values are +-1/2, the alignment +-1, the
        // enhanced values 1 (agreeing pixels, 2 of them) or 0 -> sum 2 over (4 - 1) pixels.
        // Threshold 0 (all predicted): prediction demeaned to 0 -> alignment 0, enhanced 1/4 on 4 pixels -> 1/3.
        assertEquals(2.0 / 3, s.value(VpsMetric.MAX_EM), EXACT);
        assertEquals((255 * 2.0 / 3 + 1.0 / 3) / 256, s.value(VpsMetric.MEAN_EM), EXACT);
        assertEquals(2.0 / 3, s.value(VpsMetric.ADP_EM), EXACT);
    }

    @Test
    void maeOfAConstantPredictionIsNotNormalised() {
        // A constant prediction stays pred / 255 = 0.2: errors 0.8 on the object pixel, 0.2 on three others.
        VpsScores s = one(img(2, 2, 255, 0, 0, 0), img(2, 2, 51, 51, 51, 51));
        assertEquals((0.8 + 3 * 0.2) / 4, s.value(VpsMetric.MAE), EXACT);
    }

    @Test
    void sMeasureOfAnEmptyGroundTruthIsOneMinusTheMeanPrediction() {
        VpsScores s = one(GrayImage.blank(2, 2), img(2, 2, 255, 0, 0, 0));
        assertEquals(0.75, s.value(VpsMetric.SMEASURE), EXACT);
        // ...and the weighted F-measure of an empty ground truth is 0 by the toolbox's convention.
        assertEquals(0.0, s.value(VpsMetric.WFMEASURE), EXACT);
    }

    @Test
    void sMeasureOfAPerfectPredictionIsOne() {
        // Object rows 1-2, columns 1-2 of 5x5: centroid (1.5, 1.5) rounds to 2, so the quadrants are 3x3, 3x2,
        // 2x3, 2x2. Each quadrant's SSIM term is 1 when prediction equals truth; so are both object terms.
        GrayImage gt = img(5, 5, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertEquals(1.0, one(gt, gt).value(VpsMetric.SMEASURE), 1e-12);
    }

    @Test
    void aOnePixelQuadrantMakesTheSMeasureNaNWhichThePythonMaxTurnsIntoZero() {
        // Object in column 0, rows 0-1: centroid (row 0.5 -> rounds half to even -> 0, col 0) + 1 = (1, 1):
        // the top-left quadrant is a single pixel, whose ddof=1 variance is 0/0 = NaN; max(0, NaN) == 0.
        GrayImage gt = img(3, 3, 255, 0, 0, 255, 0, 0, 0, 0, 0);
        GrayImage pred = img(3, 3, 200, 10, 10, 200, 10, 10, 10, 10, 10);
        assertEquals(0.0, one(gt, pred).value(VpsMetric.SMEASURE), 0.0);
    }

    @Test
    void weightedFMeasureCopiesTheNearestObjectErrorAndWeighsByDistance() {
        // gt [1 0 0], pred [1 1 0]: E = [0 1 0]; background errors replaced by the object's (0), so the
        // blurred EA is 0 and only the raw background errors count, weighted 2 - 0.5^(d/5):
        // Ew = [0, 2 - 0.5^0.2, 0]; TPw = 1, FPw = 2 - 0.5^0.2, R = 1, P = 1 / (1 + FPw), Q = 2P / (1 + P).
        VpsScores s = one(img(3, 1, 255, 0, 0), img(3, 1, 255, 255, 0));
        double fpw = 2 - Math.pow(0.5, 0.2);
        double p = 1 / (1 + fpw);
        assertEquals(2 * p / (1 + p), s.value(VpsMetric.WFMEASURE), 1e-12);
        assertEquals(0.6390900509664472, s.value(VpsMetric.WFMEASURE), 1e-12); // the toolbox's output
    }

    @Test
    void specificityOfAnAllObjectFrameIsNaNAsInNumpy() {
        GrayImage full = img(2, 1, 255, 255);
        VpsScores s = one(full, img(2, 1, 255, 0));
        assertTrue(Double.isNaN(s.value(VpsMetric.MEAN_SPE)));
        assertEquals(1.0, s.value(VpsMetric.MAX_SEN), EXACT);
    }

    @Test
    void aPredictionOfAnotherSizeIsResizedToTheGroundTruth() {
        // A 1x1 prediction of 255 becomes a constant 2x2 map: not normalised, 1.0 everywhere.
        VpsScores s = one(img(2, 2, 255, 255, 0, 0), img(1, 1, 255));
        assertEquals(0.5, s.value(VpsMetric.MAE), EXACT);
    }

    @Test
    void metricNamesParseInTheirGivenOrder() {
        assertEquals(List.of(VpsMetric.MAX_DICE, VpsMetric.SMEASURE), VpsMetric.parseList("maxDice, Smeasure"));
        assertEquals(17, VpsMetric.parseList("all").size());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> VpsMetric.parseList("maxDise"));
        assertTrue(e.getMessage().contains("unknown metric 'maxDise'"));
    }
}
