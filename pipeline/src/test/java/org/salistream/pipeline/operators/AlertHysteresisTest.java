package org.salistream.pipeline.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.BoundingBox;
import org.salistream.pipeline.state.AlertState;

/**
 * The k-of-n appear / m-below clear rule of {@link AlertHysteresis} on clips whose polyp frames are known,
 * written as per-frame confidence sequences (the max polyp probability of each frame).
 */
class AlertHysteresisTest {

    private static final String PROCEDURE = "proc-7";
    private static final float LOW = 0.1f;
    private static final AlertEvent.Hysteresis K3_N5_M5 = new AlertEvent.Hysteresis(3, 5, 5, 0.5f);

    /** One event with the frame that raised it. */
    private record Fired(long at, AlertEvent event) {}

    /** A box per frame whose x is the frame index, so that the event's box tells which frame's box it is. */
    private static BoundingBox boxOf(long frame) {
        return new BoundingBox((int) frame, 20, 30, 40, 0.9f);
    }

    private static long capture(long frame) {
        return 1_700_000_000_000_000L + frame * 40_000L;
    }

    /** Runs a clip through a fresh state; returns every event in order. */
    private static List<Fired> run(AlertHysteresis h, AlertState s, float[] confidences, long firstFrame) {
        List<Fired> out = new ArrayList<>();
        for (int i = 0; i < confidences.length; i++) {
            long frame = firstFrame + i;
            h.observe(s, PROCEDURE, frame, capture(frame), confidences[i], boxOf(frame), 5_000_000L + frame)
                    .ifPresent(e -> out.add(new Fired(frame, e)));
        }
        return out;
    }

    private static List<Fired> run(AlertEvent.Hysteresis rule, float[] confidences) {
        AlertHysteresis h = new AlertHysteresis(rule);
        return run(h, h.newState(), confidences, 0);
    }

    private static float[] low(int n) {
        float[] c = new float[n];
        Arrays.fill(c, LOW);
        return c;
    }

    /**
     * 60 frames, a polyp in frames 10-30 with a 2-frame flicker at 15-16; the window's most confident frame
     * (10) is not the frame that opens the alert (12), and the episode's most confident frame is 20.
     */
    private static float[] polypInTenToThirtyWithFlicker() {
        float[] c = low(60);
        for (int i = 10; i <= 30; i++) {
            c[i] = 0.6f + 0.005f * (i - 10);
        }
        c[10] = 0.9f;
        c[11] = 0.7f;
        c[12] = 0.6f;
        c[15] = 0.2f;
        c[16] = 0.3f;
        c[20] = 0.97f;
        return c;
    }

    @Test
    void aPolypWithFlickerAlertsOnceAtTheKthFrameOverTheThresholdAndClearsOnceAfterMFramesBelow() {
        List<Fired> events = run(K3_N5_M5, polypInTenToThirtyWithFlicker());
        assertEquals(2, events.size(), "exactly one APPEARED and one CLEARED: " + events);

        AlertEvent up = events.get(0).event();
        assertEquals(AlertEvent.Type.APPEARED, up.type());
        assertEquals(PROCEDURE, up.procedureId());
        assertEquals(12, up.frameIndex(), "the third frame over the threshold");
        assertEquals(10, up.firstFrameIndex(), "the first frame over the threshold in the window");
        assertEquals(12, up.lastFrameIndex());
        assertEquals(0.9f, up.confidence(), "the highest confidence in the window, not the current frame's");
        assertEquals(boxOf(12), up.box(), "the box of the frame that raised the alert");
        assertEquals(capture(12), up.captureMicros());
        assertEquals(5_000_000L + 12, up.emitMicros());
        assertEquals(K3_N5_M5, up.hysteresis());

        AlertEvent down = events.get(1).event();
        assertEquals(AlertEvent.Type.CLEARED, down.type());
        assertEquals(35, down.frameIndex(), "the fifth frame below the threshold after frame 30");
        assertEquals(10, down.firstFrameIndex(), "the episode's first frame");
        assertEquals(30, down.lastFrameIndex(), "the episode's last frame over the threshold");
        assertEquals(0.97f, down.confidence(), "the highest confidence of the episode");
        assertNull(down.box());
        assertEquals(capture(35), down.captureMicros());
    }

    @Test
    void spikesShorterThanKNeverAlert() {
        // Two frames over, three below, repeated: every window of five holds exactly two frames over.
        float[] c = low(50);
        for (int i = 0; i < c.length; i++) {
            if (i % 5 < 2) {
                c[i] = 1.0f;
            }
        }
        assertEquals(List.of(), run(K3_N5_M5, c));
        // Single frames at full confidence, every other frame.
        float[] single = low(50);
        for (int i = 0; i < single.length; i += 3) {
            single[i] = 1.0f;
        }
        assertEquals(List.of(), run(K3_N5_M5, single));
    }

    @Test
    void kFramesOverTheThresholdNeedNotBeConsecutive() {
        float[] c = {0.8f, LOW, 0.7f, LOW, 0.6f, LOW};
        List<Fired> events = run(K3_N5_M5, c);
        assertEquals(1, events.size());
        assertEquals(4, events.get(0).event().frameIndex());
        assertEquals(0, events.get(0).event().firstFrameIndex());
        assertEquals(0.8f, events.get(0).event().confidence());
    }

    @Test
    void framesOverTheThresholdOutsideTheLastNFramesDoNotCount() {
        // Frames 0 and 1 over, then 3 below, then 1 over: at frame 5 the window is 1..5 (two over).
        float[] c = {0.9f, 0.9f, LOW, LOW, LOW, 0.9f, LOW};
        assertEquals(List.of(), run(K3_N5_M5, c));
    }

    @Test
    void aPolypLostForFewerThanMFramesDoesNotClear() {
        float[] c = low(30);
        Arrays.fill(c, 0, 10, 0.8f);
        Arrays.fill(c, 14, 20, 0.8f); // 10..13: four frames lost, m = 5
        List<Fired> events = run(K3_N5_M5, c);
        assertEquals(
                List.of(AlertEvent.Type.APPEARED, AlertEvent.Type.CLEARED),
                events.stream().map(f -> f.event().type()).toList());
        assertEquals(24, events.get(1).event().frameIndex());
        assertEquals(19, events.get(1).event().lastFrameIndex());
    }

    @Test
    void reappearanceAfterClearingNeedsKOfNAgain() {
        // m < n, so without a fresh window the frames of the first episode would reopen the alert at once.
        AlertEvent.Hysteresis rule = new AlertEvent.Hysteresis(3, 5, 2, 0.5f);
        float[] c = {0.8f, 0.8f, 0.8f, 0.8f, 0.8f, LOW, LOW, 0.7f, 0.7f, 0.75f, 0.7f};
        List<Fired> events = run(rule, c);
        assertEquals(3, events.size(), "APPEARED, CLEARED, APPEARED: " + events);
        assertEquals(AlertEvent.Type.APPEARED, events.get(0).event().type());
        assertEquals(2, events.get(0).event().frameIndex());
        assertEquals(AlertEvent.Type.CLEARED, events.get(1).event().type());
        assertEquals(6, events.get(1).event().frameIndex());
        assertEquals(0, events.get(1).event().firstFrameIndex());
        assertEquals(4, events.get(1).event().lastFrameIndex());
        AlertEvent again = events.get(2).event();
        assertEquals(AlertEvent.Type.APPEARED, again.type());
        assertEquals(9, again.frameIndex(), "the third frame over the threshold after clearing");
        assertEquals(7, again.firstFrameIndex(), "nothing of the first episode");
        assertEquals(0.75f, again.confidence());
    }

    @Test
    void anAlertOpenAtTheProcedureEndIsClosedByEnd() {
        AlertHysteresis h = new AlertHysteresis(K3_N5_M5);
        AlertState s = h.newState();
        float[] c = low(20);
        Arrays.fill(c, 12, 20, 0.8f);
        c[17] = 0.95f;
        List<Fired> events = run(h, s, c, 0);
        assertEquals(1, events.size());
        assertTrue(s.active);

        Optional<AlertEvent> closed = h.end(s, PROCEDURE, 9_000_000L);
        assertTrue(closed.isPresent());
        AlertEvent e = closed.get();
        assertEquals(AlertEvent.Type.CLEARED, e.type());
        assertEquals(19, e.frameIndex(), "the last frame seen");
        assertEquals(12, e.firstFrameIndex());
        assertEquals(19, e.lastFrameIndex());
        assertEquals(0.95f, e.confidence());
        assertEquals(capture(19), e.captureMicros());
        assertEquals(9_000_000L, e.emitMicros());
        assertNull(e.box());
        assertFalse(s.active);
        assertEquals(Optional.empty(), h.end(s, PROCEDURE, 9_000_001L), "nothing left to close");
    }

    @Test
    void endWithoutAnOpenAlertEmitsNothing() {
        AlertHysteresis h = new AlertHysteresis(K3_N5_M5);
        AlertState s = h.newState();
        run(h, s, new float[] {0.9f, 0.9f, LOW}, 0);
        assertEquals(Optional.empty(), h.end(s, PROCEDURE, 1L));
        assertEquals(Optional.empty(), h.end(h.newState(), PROCEDURE, 1L), "a procedure without frames");
    }

    @Test
    void aConfidenceEqualToTheThresholdCountsAsOver() {
        float below = Math.nextDown(0.5f);
        assertEquals(List.of(), run(K3_N5_M5, new float[] {below, below, below, below, below}));

        List<Fired> events = run(K3_N5_M5, new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
        assertEquals(1, events.size(), "opens at the third frame at the threshold and never clears");
        assertEquals(2, events.get(0).event().frameIndex());
        assertEquals(0.5f, events.get(0).event().confidence());

        float[] c = {0.9f, 0.9f, 0.9f, below, below, below, below, below};
        List<Fired> cleared = run(K3_N5_M5, c);
        assertEquals(2, cleared.size(), "just below the threshold counts as below");
        assertEquals(7, cleared.get(1).event().frameIndex());
    }

    @Test
    void oneOfOneAlertsOnTheFirstFrameOverAndClearsOnTheFirstBelow() {
        List<Fired> events = run(new AlertEvent.Hysteresis(1, 1, 1, 0.5f), new float[] {LOW, 0.6f, LOW, 0.7f});
        assertEquals(List.of(1L, 2L, 3L), events.stream().map(Fired::at).toList());
        assertEquals(1, events.get(1).event().firstFrameIndex());
        assertEquals(1, events.get(1).event().lastFrameIndex());
    }

    @Test
    void framesNeedNotStartAtZero() {
        AlertHysteresis h = new AlertHysteresis(K3_N5_M5);
        List<Fired> events = run(h, h.newState(), polypInTenToThirtyWithFlicker(), 1_000);
        assertEquals(1_012, events.get(0).event().frameIndex());
        assertEquals(1_010, events.get(0).event().firstFrameIndex());
        assertEquals(1_035, events.get(1).event().frameIndex());
    }

    @Test
    void theHysteresisRefusesImpossibleParameters() {
        assertMessage(() -> new AlertEvent.Hysteresis(0, 5, 5, 0.5f), "k=0");
        assertMessage(() -> new AlertEvent.Hysteresis(6, 5, 5, 0.5f), "k <= n");
        assertMessage(() -> new AlertEvent.Hysteresis(3, 5, 0, 0.5f), "m=0");
        assertMessage(() -> new AlertEvent.Hysteresis(3, 5, 5, 1.5f), "1.5");
        assertMessage(() -> new AlertEvent.Hysteresis(3, 5, 5, -0.1f), "-0.1");
        assertMessage(() -> new AlertEvent.Hysteresis(3, 5, 5, Float.NaN), "NaN");
        AlertEvent.Hysteresis edge = new AlertEvent.Hysteresis(5, 5, 1, 1.0f);
        assertEquals(5, new AlertHysteresis(edge).newState().indices.length, "the ring holds n frames");
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention " + part);
    }
}
