package org.salistream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The published {@code adjust_lr}: {@code init_lr * decay_rate ^ (epoch // decay_epoch)}. */
class StepDecayTest {

    @Test
    void thePublishedScheduleDropsTenfoldEveryFiftyEpochs() {
        StepDecay s = StepDecay.published(1e-4);
        assertEquals(1e-4, s.lr(1), 0);
        assertEquals(1e-4, s.lr(49), 0);
        assertEquals(1e-4 * 0.1, s.lr(50), 0);
        assertEquals(1e-4 * 0.1, s.lr(99), 0);
        assertEquals(1e-4 * Math.pow(0.1, 2), s.lr(100), 0);
        assertEquals(1e-4 * Math.pow(0.1, 3), s.lr(199), 0);
    }

    @Test
    void otherSettingsFollowTheSameRule() {
        StepDecay s = new StepDecay(0.01, 0.5, 3);
        assertEquals(0.01, s.lr(2), 0);
        assertEquals(0.005, s.lr(3), 0);
        assertEquals(0.0025, s.lr(6), 1e-18);
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(0, 0.1, 50));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(1e-4, 1.5, 50));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(1e-4, 0.1, 0));
        assertThrows(
                IllegalArgumentException.class, () -> StepDecay.published(1e-4).lr(-1));
    }
}
