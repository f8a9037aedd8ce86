package org.salistream.datasets.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.eval.StreamingEvaluator;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.datasets.eval.VpsScores;

/** The generator's masks through the toolbox metrics: perfect against themselves, worse when shifted. */
class SyntheticMasksEvaluationTest {

    private static final SynthOptions OPTIONS = SynthOptions.builder()
            .size(96, 80)
            .frames(12)
            .polyps(1, 2)
            .degradations(EnumSet.of(Degradation.MOTION_BLUR, Degradation.BUBBLES))
            .build();

    private static VpsScores evaluate(int shift) {
        SyntheticProcedureGenerator gen = new SyntheticProcedureGenerator(OPTIONS, 21);
        StreamingEvaluator ev = new StreamingEvaluator("Synth", "shift" + shift);
        for (int n = 1; n <= 2; n++) {
            SyntheticCase c = gen.generateCase(n);
            for (int f = 0; f < c.frameCount(); f++) {
                SyntheticFrame frame = c.render(f);
                assertTrue(frame.info().polypVisible(), "precondition: a polyp in every frame");
                ev.add(c.id(), f, frame.mask(), shifted(frame.mask(), shift));
            }
        }
        return ev.result();
    }

    private static GrayImage shifted(GrayImage m, int dx) {
        byte[] out = new byte[m.pixels().length];
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                int sx = x - dx;
                if (sx >= 0 && sx < m.width()) {
                    out[y * m.width() + x] = m.pixels()[y * m.width() + sx];
                }
            }
        }
        return new GrayImage(m.width(), m.height(), out);
    }

    @Test
    void masksAgainstThemselvesScorePerfectly() {
        VpsScores s = evaluate(0);
        assertEquals(20, s.frames());
        assertEquals(0.0, s.value(VpsMetric.MAE), 0.0);
        assertEquals(1.0, s.value(VpsMetric.SMEASURE), 1e-9);
        assertEquals(1.0, s.value(VpsMetric.WFMEASURE), 1e-9);
        for (VpsMetric m : new VpsMetric[] {
            VpsMetric.MAX_DICE,
            VpsMetric.MAX_IOU,
            VpsMetric.MAX_SEN,
            VpsMetric.MAX_SPE,
            VpsMetric.MAX_FM,
            VpsMetric.ADP_FM
        }) {
            assertEquals(1.0, s.value(m), 1e-12, m.toolboxName());
        }
        // E-measure of a perfect map is N / (N - 1) in the toolbox, a hair above 1.
        assertEquals(96 * 80 / (96 * 80 - 1.0), s.value(VpsMetric.MAX_EM), 1e-9);
    }

    @Test
    void shiftedMasksScoreLowerTheFurtherTheyAreShifted() {
        VpsScores near = evaluate(2);
        VpsScores far = evaluate(6);
        for (VpsMetric m : new VpsMetric[] {
            VpsMetric.MAX_DICE, VpsMetric.MAX_IOU, VpsMetric.SMEASURE, VpsMetric.WFMEASURE, VpsMetric.MEAN_EM
        }) {
            double a = near.value(m);
            double b = far.value(m);
            assertTrue(a < 1 && b < a, m.toolboxName() + ": shift 2 -> " + a + ", shift 6 -> " + b);
        }
        assertTrue(far.value(VpsMetric.MAE) > near.value(VpsMetric.MAE));
    }
}
