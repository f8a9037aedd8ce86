package org.salistream.trainer.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.datasets.eval.VpsScores;

/**
 * The scores of one validation pass.
 *
 * @param dice the published validation Dice: per frame, the min-max normalised prediction thresholded at 0.5
 *     against the mask ({@code cofficent_calculate}), averaged over every frame of the split; the published
 *     training keeps the epoch with the highest
 * @param diceOnCases the same Dice averaged per case, then over cases ({@code Meandice_onCase})
 * @param mae the published validation MAE of the normalised prediction, averaged over frames
 * @param toolbox the VPS toolbox's scores of the same predictions (each case without its first and last
 *     frame, as the published evaluator)
 * @param frames frames segmented
 * @param cases cases segmented
 * @param seconds wall time of the pass
 */
public record ValidationResult(
        double dice, double diceOnCases, double mae, VpsScores toolbox, int frames, int cases, double seconds) {

    /** The published Dice selection metric's name. */
    public static final String PUBLISHED_DICE = "dice";

    /**
     * The value of a selection metric: {@value #PUBLISHED_DICE} (the published one), {@code mae}, or a VPS
     * toolbox metric name (e.g. {@code meanDice}, {@code Smeasure}); larger is better except for MAE, so MAE
     * is returned negated.
     */
    public double score(String metric) {
        if (metric.equalsIgnoreCase(PUBLISHED_DICE)) {
            return dice;
        }
        if (metric.equalsIgnoreCase("mae")) {
            return -mae;
        }
        VpsMetric m = VpsMetric.byName(metric);
        double v = toolbox.value(m);
        return m == VpsMetric.MAE ? -v : v;
    }

    /** The scores as a flat map for checkpoint provenance and logs. */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dice", dice);
        out.put("dice_on_cases", diceOnCases);
        out.put("mae", mae);
        toolbox.values().forEach((m, v) -> out.put("toolbox_" + m.toolboxName(), v));
        out.put("frames", frames);
        out.put("cases", cases);
        return out;
    }
}
