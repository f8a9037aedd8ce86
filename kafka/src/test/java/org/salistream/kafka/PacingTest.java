package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacingTest {

    @Test
    void realtimeSendsOneFrameEveryFrameInterval() {
        assertEquals(40_000_000L, Pacing.parse("realtime").intervalNanos());
        assertEquals(33_333_333L, Pacing.parse("realtime", 30).intervalNanos());
        assertEquals("realtime@25fps", Pacing.parse("realtime").toString());
    }

    @Test
    void aSpeedFactorDividesTheInterval() {
        assertEquals(20_000_000L, Pacing.parse("2x").intervalNanos());
        assertEquals(80_000_000L, Pacing.parse("0.5x").intervalNanos());
        assertEquals("2x@25fps", Pacing.parse(" 2X ").toString());
        assertEquals("0.5x@29.97fps", Pacing.parse("0.5x", 29.97).toString());
    }

    @Test
    void maxDoesNotWait() {
        Pacing max = Pacing.parse("MAX");
        assertTrue(max.isMax());
        assertEquals(0, max.intervalNanos());
        assertEquals("max", max.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fast", "x", "0x", "-2x", "2", "2xx", "1e3x", "realtime25"})
    void anythingElseIsRejectedSayingWhatIsAccepted(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pacing.parse(spec));
        assertEquals(
                "pacing must be 'realtime', 'max' or a speed factor like '2x' or '0.5x', got '" + spec + "'",
                e.getMessage());
    }

    @Test
    void theFrameRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Pacing.realtime(0));
        assertThrows(IllegalArgumentException.class, () -> Pacing.parse("realtime", Double.NaN));
    }
}
