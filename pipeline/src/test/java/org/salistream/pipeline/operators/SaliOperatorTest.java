package org.salistream.pipeline.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.salistream.kafka.DlqReason;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.image.RgbImage;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ProcedureRunner;
import org.salistream.model.testing.NoiseFloor;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.RawFrame;
import org.salistream.pipeline.events.SegmentedFrame;
import org.salistream.pipeline.job.ModelStages;
import org.salistream.pipeline.state.ProcedureProgress;
import org.salistream.pipeline.testing.FailingStages;
import org.salistream.pipeline.testing.TestModels;

/**
 * The SALI operator under Flink's keyed operator test harness, with a real (small, untrained) SALI model:
 * ordering and equality with the offline loop, state transitions, timers, cleanup and dead letters.
 */
@Tag("float-parity")
class SaliOperatorTest {

    private static final int S = TestModels.CONFIG.size();
    private static final long IDLE_MS = 5_000;
    private static DjlSaliStages offline;

    @BeforeAll
    static void openOfflineModel() throws Exception {
        offline = SaliModelLoader.open(TestModels.checkpoint(), TestModels.CONFIG);
    }

    @AfterAll
    static void closeOfflineModel() {
        offline.close();
    }

    private static PipelineConfig config(String... overrides) {
        Map<String, String> m = new HashMap<>(TestModels.modelKeys());
        m.put("batch.max-size", "2");
        m.put("batch.max-wait", "20ms");
        m.put("procedure.idle-timeout", IDLE_MS + "ms");
        for (int i = 0; i < overrides.length; i += 2) {
            m.put(overrides[i], overrides[i + 1]);
        }
        return PipelineConfig.of(m);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameEvent, SegmentedFrame> harness(PipelineConfig c)
            throws Exception {
        return harness(c, new ModelStages());
    }

    static KeyedOneInputStreamOperatorTestHarness<String, FrameEvent, SegmentedFrame> harness(
            PipelineConfig c, StagesFactory model) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new SaliOperator(c, model), e -> e.procedureId, Types.STRING);
    }

    static FrameEvent frame(String procedure, long index) {
        FrameEvent e = new FrameEvent();
        e.kind = FrameEvent.Kind.FRAME;
        e.procedureId = procedure;
        e.frameIndex = index;
        e.captureMicros = 1_000_000L + index;
        e.deviceId = "scope-1";
        e.width = 320;
        e.height = 240;
        e.modelRgb = TestModels.frameRgb(procedure.hashCode() * 31L + index, S, S);
        e.source = new RawFrame();
        e.source.topic = "frames";
        e.source.value = new byte[0];
        e.source.headerNames = new String[0];
        e.source.headerValues = new byte[0][];
        return e;
    }

    static FrameEvent end(String procedure, long last) {
        FrameEvent e = frame(procedure, last);
        e.kind = FrameEvent.Kind.END;
        e.modelRgb = new byte[0];
        return e;
    }

    private static List<float[]> offlineLogits(String procedure, int n) throws Exception {
        List<float[]> out = new ArrayList<>();
        ProcedureRunner runner = new ProcedureRunner(offline);
        for (int i = 0; i < n; i++) {
            runner.accept(i, new RgbImage(S, S, frame(procedure, i).modelRgb), (idx, r) -> out.add(r.logits()));
        }
        runner.finish((idx, r) -> out.add(r.logits()));
        return out;
    }

    private static List<SegmentedFrame> framesOf(List<SegmentedFrame> all, String procedure) {
        return all.stream()
                .filter(s -> s.procedureId.equals(procedure) && s.kind == FrameEvent.Kind.FRAME)
                .toList();
    }

    /**
     * Identical numbers: batches of one run exactly the offline calls (the same kernels on the same shapes
     * in the same order, so exact by construction).
     */
    private static void assertSameLogits(float[] expected, float[] actual) {
        assertCloseLogits(expected, actual, 0);
    }

    /**
     * Numbers equal up to float32 reordering: a batch of two procedures runs other convolution kernels than
     * one frame alone, so the logits may differ by the model's float32 floor ({@link NoiseFloor#logits()},
     * relative to the map's magnitude). Measured: 2.7e-5 (untrained published-init weights, logits of
     * magnitude 1.2; AMD EPYC, libtorch at 1 and 2 threads).
     */
    static void assertKernelNoiseLogits(float[] expected, float[] actual) {
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertCloseLogits(expected, actual, NoiseFloor.logitsRelative(scale));
    }

    private static void assertCloseLogits(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        double max = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        if (Boolean.getBoolean("sali.parity.verbose")) {
            System.out.printf("  parity operator logits max |diff| %.3g (max |logit| %.3g)%n", max, scale);
        }
        assertTrue(
                max <= tolerance,
                "logits differ from the offline loop by " + max + " (max |logit| " + scale + ", tolerance " + tolerance
                        + ")");
    }

    @Test
    void twoInterleavedProceduresComeOutInFrameOrderWithTheOfflineNumbers() throws Exception {
        int n = 5;
        try (var h = harness(config())) {
            h.open();
            for (int i = 0; i < n; i++) {
                h.processElement(frame("A", i), 0);
                h.processElement(frame("B", i), 0);
            }
            h.processElement(end("A", n - 1), 0);
            h.processElement(end("B", n - 1), 0);
            List<SegmentedFrame> out = h.extractOutputValues();
            for (String p : List.of("A", "B")) {
                List<SegmentedFrame> got = framesOf(out, p);
                List<float[]> expected = offlineLogits(p, n);
                assertEquals(n, got.size(), "frames out for " + p);
                for (int i = 0; i < n; i++) {
                    assertEquals(i, got.get(i).frameIndex);
                    assertEquals(320, got.get(i).width);
                    assertKernelNoiseLogits(expected.get(i), got.get(i).logits);
                }
                assertEquals(
                        1,
                        out.stream()
                                .filter(s -> s.procedureId.equals(p) && s.kind == FrameEvent.Kind.END)
                                .count());
            }
            assertTrue(out.stream().anyMatch(s -> s.batchSize == 2), "frames of the two procedures share batches");
        }
    }

    @Test
    void endOfProcedureClearsWindowAndMemoryAndTheTombstoneGoesAtTheIdleTimeout() throws Exception {
        try (var h = harness(config())) {
            h.open();
            h.processElement(frame("A", 0), 0);
            h.processElement(frame("A", 1), 0);
            h.setProcessingTime(100); // batch wait elapses
            assertEquals(3, h.numKeyedStateEntries(), "window, memory and progress while the procedure runs");
            h.processElement(end("A", 1), 0);
            assertEquals(1, h.numKeyedStateEntries(), "only the tombstone after the end");
            h.setProcessingTime(100 + IDLE_MS + 1);
            assertEquals(0, h.numKeyedStateEntries(), "nothing after the idle timeout");
            assertEquals(2, framesOf(h.extractOutputValues(), "A").size());
        }
    }

    @Test
    void anIdleProcedureIsFinishedWithItsWaitingFrameAndCleared() throws Exception {
        try (var h = harness(config("batch.max-size", "1"))) {
            h.open();
            h.setProcessingTime(0);
            for (int i = 0; i < 3; i++) {
                h.processElement(frame("A", i), 0);
            }
            h.setProcessingTime(50);
            assertEquals(2, framesOf(h.extractOutputValues(), "A").size(), "the last frame waits for its neighbour");
            h.setProcessingTime(50 + IDLE_MS + 1);
            List<SegmentedFrame> out = h.extractOutputValues();
            assertEquals(3, framesOf(out, "A").size());
            assertEquals(FrameEvent.Kind.END, out.get(out.size() - 1).kind);
            assertEquals(0, h.numKeyedStateEntries());
            List<float[]> expected = offlineLogits("A", 3);
            assertSameLogits(expected.get(2), framesOf(out, "A").get(2).logits);
        }
    }

    @Test
    void lateDuplicatesAreDroppedAndBackwardIndicesAreDeadLettered() throws Exception {
        try (var h = harness(config())) {
            h.open();
            h.processElement(frame("A", 0), 0);
            h.processElement(frame("A", 2), 0);
            h.processElement(frame("A", 2), 0); // duplicate: dropped, counted
            h.processElement(frame("A", 1), 0); // never seen, lower: out of order
            h.processElement(frame("A", 3), 0); // a gap (2 -> 3 is none, 0 -> 2 was one) is processed as it comes
            h.processElement(end("A", 3), 0);
            assertEquals(
                    List.of(0L, 2L, 3L),
                    framesOf(h.extractOutputValues(), "A").stream()
                            .map(s -> s.frameIndex)
                            .toList());
            List<DeadLetter> dlq = deadLetters(h);
            assertEquals(1, dlq.size());
            assertEquals(DlqReason.OUT_OF_ORDER, dlq.get(0).reason);
        }
    }

    @Test
    void anUnknownEndAndAFrameAfterTheEndAreDeadLettered() throws Exception {
        try (var h = harness(config())) {
            h.open();
            h.processElement(end("ghost", 4), 0);
            h.processElement(frame("A", 0), 0);
            h.processElement(end("A", 0), 0);
            h.processElement(frame("A", 1), 0);
            List<DeadLetter> dlq = deadLetters(h);
            assertEquals(2, dlq.size());
            assertTrue(dlq.stream().allMatch(d -> d.reason == DlqReason.AFTER_END_OF_PROCEDURE));
            assertEquals(1, framesOf(h.extractOutputValues(), "A").size());
        }
    }

    @Test
    void theCausalModeEmitsEachFrameAtOnce() throws Exception {
        try (var h = harness(config("model.neighbor", "previous", "batch.max-size", "1"))) {
            h.open();
            for (int i = 0; i < 3; i++) {
                h.processElement(frame("A", i), 0);
                assertEquals(i + 1, framesOf(h.extractOutputValues(), "A").size());
            }
        }
    }

    @Test
    void aSnapshotMidProcedureRestoresToTheSameOutput() throws Exception {
        int n = 6;
        OperatorSubtaskState snapshot;
        List<SegmentedFrame> before;
        try (var h = harness(config("batch.max-size", "1"))) {
            h.open();
            for (int i = 0; i < 4; i++) {
                h.processElement(frame("A", i), 0);
            }
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 0);
            before = new ArrayList<>(framesOf(h.extractOutputValues(), "A"));
        }
        try (var h = harness(config("batch.max-size", "1"))) {
            h.initializeState(snapshot);
            h.open();
            for (int i = 4; i < n; i++) {
                h.processElement(frame("A", i), 0);
            }
            h.processElement(end("A", n - 1), 0);
            List<SegmentedFrame> all = new ArrayList<>(before);
            all.addAll(framesOf(h.extractOutputValues(), "A"));
            List<float[]> expected = offlineLogits("A", n);
            assertEquals(n, all.size());
            for (int i = 0; i < n; i++) {
                assertEquals(i, all.get(i).frameIndex);
                assertSameLogits(expected.get(i), all.get(i).logits);
            }
        }
    }

    @Test
    void aLoneProcedureDoesNotWaitForABatchThatCannotFill() throws Exception {
        try (var h = harness(config("batch.max-size", "4", "batch.max-wait", "60m", "model.neighbor", "previous"))) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(frame("A", 0), 0);
            assertEquals(1, framesOf(h.extractOutputValues(), "A").size(), "segmented at once, no timer needed");
            h.processElement(frame("B", 0), 0);
            assertEquals(0, framesOf(h.extractOutputValues(), "B").size(), "A is live: B's frame waits for A's next");
            h.processElement(frame("A", 1), 0);
            List<SegmentedFrame> out = h.extractOutputValues();
            assertEquals(2, framesOf(out, "A").size(), "every live procedure has a frame in the batch: it runs");
            assertEquals(1, framesOf(out, "B").size());
            assertEquals(2, framesOf(out, "B").get(0).batchSize, "the round ran A and B together");
        }
    }

    @Test
    void lateDuplicatesAreCountedInTheProgress() throws Exception {
        try (var h = harness(config())) {
            h.open();
            h.processElement(frame("A", 0), 0);
            h.processElement(frame("A", 0), 0);
            h.processElement(frame("A", 0), 0);
            h.getOperator().setCurrentKey("A");
            ProcedureProgress p = h.getOperator()
                    .getKeyedStateBackend()
                    .getPartitionedState(
                            VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, SaliOperator.PROGRESS)
                    .value();
            assertEquals(2, p.duplicates);
            assertEquals(1, p.framesIn);
        }
    }

    @Test
    void afterARestoreAnIdleTimerArmedBeforeItGivesAFullTimeoutFromTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(config("batch.max-size", "1"))) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(frame("A", 0), 0);
            h.processElement(frame("A", 1), 0);
            snapshot = h.snapshot(1, 0);
        }
        try (var h = harness(config("batch.max-size", "1"))) {
            h.setProcessingTime(IDLE_MS * 3); // the outage lasted longer than the idle timeout
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(IDLE_MS * 3 + 1);
            assertTrue(
                    h.extractOutputValues().stream().noneMatch(s -> s.kind == FrameEvent.Kind.END),
                    "the procedure is not closed by a timer that expired while the job was down");
            h.processElement(frame("A", 2), 0);
            h.processElement(end("A", 2), 0);
            List<SegmentedFrame> out = h.extractOutputValues();
            assertEquals(
                    List.of(1L, 2L),
                    framesOf(out, "A").stream().map(s -> s.frameIndex).toList(),
                    "frame 1 waited in the restored window; its memory went on");
            List<float[]> expected = offlineLogits("A", 3);
            assertSameLogits(expected.get(1), framesOf(out, "A").get(0).logits);
            assertSameLogits(expected.get(2), framesOf(out, "A").get(1).logits);
        }
        try (var h = harness(config("batch.max-size", "1"))) {
            h.setProcessingTime(IDLE_MS * 3);
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(IDLE_MS * 4 + 1);
            assertEquals(
                    FrameEvent.Kind.END,
                    h.extractOutputValues().get(h.extractOutputValues().size() - 1).kind,
                    "a procedure silent for a full timeout after the restore is closed");
            assertEquals(0, h.numKeyedStateEntries());
        }
    }

    @Test
    void aFrameTheModelFailsOnIsDeadLetteredAndTheProcedureGoesOn() throws Exception {
        try (var h = harness(config("batch.max-size", "1"), FailingStages.factory())) {
            h.open();
            h.processElement(frame("A", 0), 0);
            FrameEvent poison = frame("A", 1);
            poison.modelRgb = FailingStages.marked(poison.modelRgb, FailingStages.ENCODE);
            poison.source.partition = 3;
            poison.source.offset = 77;
            h.processElement(poison, 0);
            h.processElement(frame("A", 2), 0);
            h.processElement(end("A", 2), 0);
            assertEquals(
                    List.of(0L, 2L),
                    framesOf(h.extractOutputValues(), "A").stream()
                            .map(s -> s.frameIndex)
                            .toList());
            List<DeadLetter> dlq = deadLetters(h);
            assertEquals(1, dlq.size());
            assertEquals(DlqReason.MODEL_FAILED, dlq.get(0).reason);
            assertEquals(77, dlq.get(0).offset, "the original record, with its coordinates");
            assertTrue(dlq.get(0).message.startsWith("frame 1: encoding failed"), dlq.get(0).message);
        }
    }

    private static List<DeadLetter> deadLetters(
            KeyedOneInputStreamOperatorTestHarness<String, FrameEvent, SegmentedFrame> h) {
        List<DeadLetter> out = new ArrayList<>();
        var q = h.getSideOutput(SaliOperator.DEAD_LETTERS);
        if (q != null) {
            for (StreamRecord<DeadLetter> r : q) {
                out.add(r.getValue());
            }
        }
        return out;
    }
}
