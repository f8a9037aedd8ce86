package org.salistream.datasets.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.salistream.datasets.GrayImage;

class StreamingEvaluatorTest {

    private static final GrayImage OBJECT = ToolboxMetricsTest.img(2, 2, 255, 255, 0, 0);
    private static final GrayImage WRONG = ToolboxMetricsTest.img(2, 2, 0, 0, 255, 255);

    @Test
    void theFirstAndTheLatestFrameOfEachCaseAreLeftOut() {
        StreamingEvaluator ev = new StreamingEvaluator(List.of(VpsMetric.MAE), "s", "m");
        ev.add("a", 0, OBJECT, WRONG); // first: dropped
        ev.add("a", 1, OBJECT, OBJECT);
        assertEquals(0, ev.result().frames(), "frame 1 is held back while it may be the last");
        ev.add("a", 2, OBJECT, WRONG); // now frame 1 counts; frame 2 is held back
        VpsScores s = ev.result();
        assertEquals(1, s.frames());
        assertEquals(0.0, s.value(VpsMetric.MAE), 0.0);
        ev.add("a", 3, OBJECT, OBJECT); // frame 2 (wrong everywhere) now counts
        assertEquals(0.5, ev.result().value(VpsMetric.MAE), 1e-15);
    }

    @Test
    void casesAreAveragedWithEqualWeight() {
        StreamingEvaluator ev = new StreamingEvaluator(List.of(VpsMetric.MAE), "s", "m");
        for (int i = 0; i < 3; i++) {
            ev.add("perfect", i, OBJECT, OBJECT);
        }
        for (int i = 0; i < 10; i++) {
            ev.add("wrong", i, OBJECT, WRONG);
        }
        VpsScores s = ev.result();
        assertEquals(2, s.cases());
        assertEquals(9, s.frames());
        assertEquals(0.5, s.value(VpsMetric.MAE), 1e-15); // (0 + 1) / 2, not weighted by 1 and 8 frames
    }

    @Test
    void framesOutOfOrderAreRejected() {
        StreamingEvaluator ev = new StreamingEvaluator(List.of(VpsMetric.MAE), "s", "m");
        ev.add("a", 5, OBJECT, OBJECT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ev.add("a", 5, OBJECT, OBJECT));
        assertTrue(e.getMessage().contains("must arrive in order"), e.getMessage());
    }

    @Test
    void shortCasesAreSkippedAndCounted() {
        StreamingEvaluator ev = new StreamingEvaluator(List.of(VpsMetric.MAE), "s", "m");
        ev.add("short", 0, OBJECT, OBJECT);
        ev.add("short", 1, OBJECT, OBJECT);
        assertEquals(1, ev.skippedCases());
        assertTrue(Double.isNaN(ev.result().value(VpsMetric.MAE)));
    }
}
