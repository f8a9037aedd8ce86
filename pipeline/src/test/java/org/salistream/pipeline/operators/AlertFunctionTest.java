package org.salistream.pipeline.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.BoundingBox;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.MaskFrame;

/**
 * The alert stage under Flink's keyed operator harness: hysteresis per procedure with interleaved
 * procedures, boxes passed through, and the keyed state dropped at each procedure's end marker.
 */
class AlertFunctionTest {

    private static final AlertEvent.Hysteresis RULE = new AlertEvent.Hysteresis(3, 5, 5, 0.5f);

    private static KeyedOneInputStreamOperatorTestHarness<String, MaskFrame, AlertEvent> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertFunction(RULE)), m -> m.procedureId, Types.STRING);
    }

    private static MaskFrame frame(String procedure, long index, float confidence) {
        MaskFrame m = new MaskFrame();
        m.kind = FrameEvent.Kind.FRAME;
        m.procedureId = procedure;
        m.frameIndex = index;
        m.captureMicros = 1_000_000L + index;
        m.emitMicros = 2_000_000L + index;
        m.maxProbability = confidence;
        if (confidence >= 0.5f) {
            m.boxX = (int) index;
            m.boxY = 5;
            m.boxW = 10;
            m.boxH = 12;
            m.boxScore = confidence;
        }
        m.envelope = new byte[0];
        return m;
    }

    private static MaskFrame end(String procedure, long last) {
        MaskFrame m = new MaskFrame();
        m.kind = FrameEvent.Kind.END;
        m.procedureId = procedure;
        m.frameIndex = last;
        m.envelope = new byte[0];
        return m;
    }

    private static List<AlertEvent> of(List<AlertEvent> all, String procedure) {
        return all.stream().filter(e -> e.procedureId().equals(procedure)).toList();
    }

    @Test
    void interleavedProceduresAlertIndependentlyAndTheirStateGoesAtTheirEnd() throws Exception {
        // A: polyp in frames 3-12, gone from 13 (cleared at 17). B: flicker only (two frames of five).
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 20; i++) {
                h.processElement(frame("A", i, i >= 3 && i <= 12 ? 0.8f : 0.1f), i);
                h.processElement(frame("B", i, i % 5 < 2 ? 0.9f : 0.1f), i);
            }
            assertEquals(2, h.numKeyedStateEntries(), "one hysteresis state per open procedure");

            h.processElement(end("A", 19), 20);
            assertEquals(1, h.numKeyedStateEntries(), "A's state is dropped at its end marker");

            // B now has a real polyp, still open when B ends: the end closes it.
            for (int i = 20; i < 25; i++) {
                h.processElement(frame("B", i, 0.7f), i);
            }
            h.processElement(end("B", 24), 25);
            assertEquals(0, h.numKeyedStateEntries(), "no state once both procedures ended");

            List<AlertEvent> all = h.extractOutputValues();
            List<AlertEvent> a = of(all, "A");
            assertEquals(
                    List.of(AlertEvent.Type.APPEARED, AlertEvent.Type.CLEARED),
                    a.stream().map(AlertEvent::type).toList());
            assertEquals(5, a.get(0).frameIndex());
            assertEquals(3, a.get(0).firstFrameIndex());
            assertEquals(new BoundingBox(5, 5, 10, 12, 0.8f), a.get(0).box(), "the box of the frame that raised it");
            assertEquals(1_000_005L, a.get(0).captureMicros());
            assertEquals(17, a.get(1).frameIndex());
            assertEquals(12, a.get(1).lastFrameIndex());
            assertNull(a.get(1).box());

            List<AlertEvent> b = of(all, "B");
            assertEquals(
                    List.of(AlertEvent.Type.APPEARED, AlertEvent.Type.CLEARED),
                    b.stream().map(AlertEvent::type).toList());
            assertEquals(22, b.get(0).frameIndex(), "the flicker never made three of five; 20, 21, 22 do");
            assertEquals(20, b.get(0).firstFrameIndex());
            assertEquals(24, b.get(1).frameIndex(), "closed at B's last frame by the end marker");
            assertEquals(24, b.get(1).lastFrameIndex());
            assertEquals(RULE, b.get(1).hysteresis());
        }
    }

    @Test
    void anEndForAProcedureWithoutFramesEmitsNothingAndLeavesNoState() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(end("ghost", -1), 0);
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(List.of(), h.extractOutputValues());
        }
    }

    @Test
    void aProcedureReopenedAfterItsEndStartsFromAnEmptyWindow() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(frame("A", 0, 0.9f), 0);
            h.processElement(frame("A", 1, 0.9f), 1);
            h.processElement(end("A", 1), 2);
            // Two frames over before the end and one after must not add up to three.
            h.processElement(frame("A", 2, 0.9f), 3);
            assertEquals(List.of(), h.extractOutputValues());
            assertEquals(1, h.numKeyedStateEntries());
        }
    }

    @Test
    void theRuleSurvivesASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(frame("A", 0, 0.9f), 0);
            h.processElement(frame("A", 1, 0.9f), 1);
            snapshot = h.snapshot(1, 2);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(frame("A", 2, 0.9f), 3);
            List<AlertEvent> out = h.extractOutputValues();
            assertEquals(1, out.size(), "the restored window already held two frames over");
            assertEquals(2, out.get(0).frameIndex());
            assertEquals(0, out.get(0).firstFrameIndex());
        }
    }
}
