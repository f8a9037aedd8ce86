package org.salistream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.datasets.eval.VpsScores;

/** The published validation scores ({@code cofficent_calculate} and the MAE of {@code val}). */
class ValidatorTest {

    @Test
    void theFrameDiceThresholdsThePredictionAtOneHalfAgainstTheNormalisedMask() {
        float[] pred = {0.9f, 0.2f, 0.6f, 0.0f};
        GrayImage gt = new GrayImage(2, 2, new byte[] {(byte) 255, 0, 0, (byte) 255});
        double[] dm = Validator.publishedDiceAndMae(pred, gt);
        // inter 1, |pred > 0.5| = 2, |gt| = 2: Dice 2 / (4 + 1e-5); MAE (0.1 + 0.2 + 0.6 + 1.0) / 4.
        assertEquals(2 / (4 + 1e-5), dm[0], 1e-7);
        assertEquals(0.475, dm[1], 1e-6);
    }

    @Test
    void aFrameWithoutObjectScoresZeroDiceAsPublished() {
        double[] dm = Validator.publishedDiceAndMae(new float[] {0.9f, 0.1f}, GrayImage.blank(2, 1));
        assertEquals(0, dm[0], 0);
        assertEquals(0.5, dm[1], 1e-6);
    }

    @Test
    void selectionScoresAreLargerIsBetter() {
        VpsScores toolbox = new VpsScores("S", "m", Map.of(VpsMetric.MEAN_DICE, 0.7, VpsMetric.SMEASURE, 0.8), 1, 3);
        ValidationResult r = new ValidationResult(0.6, 0.65, 0.1, toolbox, 3, 1, 1.0);
        assertEquals(0.6, r.score("dice"));
        assertEquals(-0.1, r.score("mae"));
        assertEquals(0.7, r.score("meanDice"));
        assertEquals(0.8, r.score("Smeasure"));
        assertThrows(IllegalArgumentException.class, () -> r.score("maxEm"));
        assertEquals(0.6, r.asMap().get("dice"));
        assertEquals(0.7, r.asMap().get("toolbox_meanDice"));
    }
}
