package org.salistream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.datasets.eval.VpsScores;

/** The published validation scores ({@code cofficent_calculate} and the MAE of {@code val}). */
class ValidatorTest {

    @TempDir
    Path tmp;

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

    @Test
    void casesWhoseMasksAreEmptyInEveryFrameAreNamedAsUnableToMoveTheDice() throws Exception {
        // "clear" has no polyp anywhere; "late" shows one pixel in its last frame only; "early" in its first.
        writeCase("clear", new int[] {0, 0, 0});
        writeCase("late", new int[] {0, 0, 255});
        writeCase("early", new int[] {200, 0, 0});
        Validator all = new Validator(tmp, "Val", 0, Validator.DEFAULT_METRICS);
        assertEquals(List.of("clear"), all.casesWithoutPolyp());
        Validator first = new Validator(tmp, "Val", 1, Validator.DEFAULT_METRICS);
        assertEquals(first.cases(), first.casesWithoutPolyp(), "only 'clear' validated, and it has no polyp");
    }

    /** A case of 8x8 frames whose masks hold one pixel of the given value (0: an empty mask). */
    private void writeCase(String name, int[] maskValues) throws Exception {
        Path frames = Files.createDirectories(tmp.resolve("Val/Frame/" + name));
        Path masks = Files.createDirectories(tmp.resolve("Val/GT/" + name));
        for (int i = 0; i < maskValues.length; i++) {
            String stem = name + "_" + i;
            ImageIO.write(
                    new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR),
                    "jpg",
                    frames.resolve(stem + ".jpg").toFile());
            BufferedImage mask = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            mask.getRaster().setSample(3, 4, 0, maskValues[i]);
            ImageIO.write(mask, "png", masks.resolve(stem + ".png").toFile());
        }
    }
}
