package org.salistream.model.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published {@code test_video.py} schedule: frame 0 starts, every mem_freq-th frame also adds. */
class FramePolicyTest {

    @Test
    void thePublishedScheduleWithMemFreqFive() {
        List<FramePolicy> p = new ArrayList<>();
        for (int i = 0; i <= 11; i++) {
            p.add(FramePolicy.forOrdinal(i, 5));
        }
        FramePolicy s = FramePolicy.START;
        FramePolicy r = FramePolicy.READ;
        FramePolicy a = FramePolicy.READ_AND_ADD;
        assertEquals(List.of(s, r, r, r, r, a, r, r, r, r, a, r), p);
    }

    @Test
    void memFreqOneAddsEveryFrame() {
        assertEquals(FramePolicy.START, FramePolicy.forOrdinal(0, 1));
        assertEquals(FramePolicy.READ_AND_ADD, FramePolicy.forOrdinal(1, 1));
        assertEquals(FramePolicy.READ_AND_ADD, FramePolicy.forOrdinal(1_000_000_007L, 1));
    }

    @Test
    void whatEachPolicyDoesWithTheMemory() {
        assertFalse(FramePolicy.START.readsMemory());
        assertTrue(FramePolicy.START.adds());
        assertTrue(FramePolicy.READ.readsMemory());
        assertFalse(FramePolicy.READ.adds());
        assertTrue(FramePolicy.READ_AND_ADD.readsMemory());
        assertTrue(FramePolicy.READ_AND_ADD.adds());
    }

    @Test
    void badArgumentsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FramePolicy.forOrdinal(3, 0))
                .getMessage()
                .contains("mem_freq must be positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FramePolicy.forOrdinal(-1, 5))
                .getMessage()
                .contains("must not be negative"));
    }
}
