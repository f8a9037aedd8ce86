package org.salistream.datasets.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salistream.datasets.GrayImage;

/**
 * Subsets as the toolbox scores a split (per case, then over cases), and why the {@code with_polyp} subset
 * exists: the toolbox scores a frame without a polyp Dice 0 whatever the prediction, so a perfect prediction
 * scores the share of polyp frames over all frames and 1 over the frames that show one.
 */
class SubsetEvaluatorTest {

    private static GrayImage square(int size, int from, int to) {
        byte[] p = new byte[size * size];
        for (int y = from; y < to; y++) {
            for (int x = from; x < to; x++) {
                p[y * size + x] = (byte) 255;
            }
        }
        return new GrayImage(size, size, p);
    }

    @Test
    void aPerfectPredictionScoresDiceOneOnPolypFramesAndTheirShareOverAllFrames() {
        SubsetEvaluator eval = new SubsetEvaluator(List.of(VpsMetric.MAX_DICE, VpsMetric.MEAN_DICE), "GT");
        // One case: 3 frames with a polyp, 1 without; the prediction is the ground truth itself.
        List<GrayImage> truth =
                List.of(square(32, 4, 12), square(32, 8, 20), GrayImage.blank(32, 32), square(32, 10, 30));
        for (GrayImage gt : truth) {
            Set<String> names = new LinkedHashSet<>(List.of("all"));
            if (SubsetEvaluator.showsPolyp(gt)) {
                names.add(SubsetEvaluator.WITH_POLYP);
            }
            eval.add(names, "case1", gt, gt);
        }
        Map<String, VpsScores> r = eval.results();
        assertEquals(4, r.get("all").frames());
        assertEquals(3, r.get(SubsetEvaluator.WITH_POLYP).frames());
        assertEquals(0.75, r.get("all").value(VpsMetric.MAX_DICE), 1e-12);
        assertEquals(1.0, r.get(SubsetEvaluator.WITH_POLYP).value(VpsMetric.MAX_DICE), 1e-12);
    }

    @Test
    void aPolypIsWhatTheToolboxBinarisesAsOneAbove128() {
        assertFalse(SubsetEvaluator.showsPolyp(GrayImage.blank(8, 8)));
        byte[] faint = new byte[64];
        faint[10] = (byte) 128;
        assertFalse(SubsetEvaluator.showsPolyp(new GrayImage(8, 8, faint)), "gt > 128, as _prepare_data");
        faint[11] = (byte) 129;
        assertTrue(SubsetEvaluator.showsPolyp(new GrayImage(8, 8, faint)));
    }
}
