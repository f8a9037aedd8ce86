package org.salistream.pipeline.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ProcedureRunner;
import org.salistream.model.stage.SegmentResult;
import org.salistream.model.stage.ShortTermWindow;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.RawFrame;
import org.salistream.pipeline.state.FrameMeta;
import org.salistream.pipeline.state.ProcedureProgress;
import org.salistream.pipeline.testing.FailingStages;
import org.salistream.pipeline.testing.TestModels;

/**
 * The batching and round scheduling on the real (small) model, without Flink: rounds across procedures,
 * order within one, and faults kept to their frame and procedure.
 */
class BatchRunnerTest {

    private static final int S = TestModels.CONFIG.size();
    private static DjlSaliStages model;

    @BeforeAll
    static void openModel() throws Exception {
        model = SaliModelLoader.open(TestModels.checkpoint(), TestModels.CONFIG);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    /** Keyed state as a map, and everything the runner reports, in order. */
    private static final class Recorder implements BatchRunner.States, BatchRunner.Output {
        final Map<String, BatchRunner.Work> state = new HashMap<>();
        final Map<String, ProcedureProgress> progress = new HashMap<>();
        final Map<String, List<Long>> out = new LinkedHashMap<>();
        final Map<String, List<float[]>> logits = new HashMap<>();
        final List<String> failures = new ArrayList<>();
        final Map<String, String> ended = new LinkedHashMap<>();

        @Override
        public BatchRunner.Work load(String p) {
            BatchRunner.Work w = state.get(p);
            return new BatchRunner.Work(
                    w == null ? ShortTermWindow.start(TestModels.CONFIG.neighbor()) : w.window(),
                    w == null ? MemoryState.empty() : w.memory(),
                    progress.get(p));
        }

        @Override
        public void store(String p, BatchRunner.Work w) {
            state.put(p, w);
        }

        @Override
        public void segmented(String p, FrameMeta meta, SegmentResult result, int batchSize) {
            out.computeIfAbsent(p, k -> new ArrayList<>()).add(meta.index);
            logits.computeIfAbsent(p, k -> new ArrayList<>()).add(result.logits());
        }

        @Override
        public void failed(String p, FrameMeta meta, FrameEvent event, String why) {
            failures.add(p + "#" + meta.index + (event != null ? " (record)" : "") + ": " + why);
        }

        @Override
        public void ended(String p, long lastIndex, String closedReason) {
            ended.put(p, closedReason == null ? "end@" + lastIndex : "closed@" + lastIndex + ": " + closedReason);
        }

        /** The frame as the operator hands it over: accepted into its procedure's progress. */
        FrameEvent frame(String p, long index, byte[] rgb) {
            FrameEvent e = new FrameEvent();
            e.kind = FrameEvent.Kind.FRAME;
            e.procedureId = p;
            e.frameIndex = index;
            e.modelRgb = rgb;
            e.source = new RawFrame();
            progress.computeIfAbsent(p, k -> new ProcedureProgress())
                    .accept(new FrameMeta(index, 0, "scope", S, S, 0, index));
            return e;
        }
    }

    private static byte[] rgb(String p, long i) {
        return TestModels.frameRgb(p.hashCode() * 31L + i, S, S);
    }

    private static List<float[]> offline(List<byte[]> frames) throws Exception {
        List<float[]> out = new ArrayList<>();
        ProcedureRunner runner = new ProcedureRunner(model);
        for (int i = 0; i < frames.size(); i++) {
            runner.accept(i, new RgbImage(S, S, frames.get(i)), (idx, r) -> out.add(r.logits()));
        }
        runner.finish((idx, r) -> out.add(r.logits()));
        return out;
    }

    /** Equal up to the reordering of float sums that a batch of two runs (other kernels than one frame alone). */
    private static void assertClose(List<float[]> expected, List<float[]> actual, double relative) {
        assertEquals(expected.size(), actual.size());
        for (int f = 0; f < expected.size(); f++) {
            double max = 0;
            double scale = 0;
            for (int i = 0; i < expected.get(f).length; i++) {
                max = Math.max(max, Math.abs(expected.get(f)[i] - actual.get(f)[i]));
                scale = Math.max(scale, Math.abs(expected.get(f)[i]));
            }
            assertTrue(max <= relative * scale, "frame " + f + " differs by " + max + " (max |logit| " + scale + ")");
        }
    }

    @Test
    void framesOfTwoProceduresShareCallsAndKeepTheirOrderWithTheOfflineNumbers() throws Exception {
        FailingStages stages = new FailingStages(model);
        BatchRunner runner = new BatchRunner(stages, new BatchPolicy(1, 0, 1000, 3));
        Recorder r = new Recorder();
        List<FrameEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String p : List.of("A", "B")) {
                events.add(r.frame(p, i, rgb(p, i)));
            }
        }
        runner.run(events, r, r);
        runner.run(List.of(FrameEvent.endOf("A", 2), FrameEvent.endOf("B", 2)), r, r);
        for (String p : List.of("A", "B")) {
            assertEquals(List.of(0L, 1L, 2L), r.out.get(p));
            assertEquals("end@2", r.ended.get(p));
            // batches of one: exactly the offline calls and numbers
            assertClose(offline(List.of(rgb(p, 0), rgb(p, 1), rgb(p, 2))), r.logits.get(p), 0);
        }
        assertTrue(r.failures.isEmpty(), r.failures.toString());

        FailingStages paired = new FailingStages(model);
        Recorder r2 = new Recorder();
        BatchRunner batched = new BatchRunner(paired, new BatchPolicy(2, 0, 1000, 3));
        List<FrameEvent> again = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String p : List.of("A", "B")) {
                again.add(r2.frame(p, i, rgb(p, i)));
            }
        }
        batched.run(again, r2, r2);
        assertEquals(List.of(2, 2, 2), paired.encodeCalls(), "six frames encoded two at a time");
        assertTrue(
                paired.segmentCalls().stream().allMatch(n -> n == 2),
                "each round pairs A and B: " + paired.segmentCalls());
        assertEquals(List.of(0L, 1L), r2.out.get("A"), "frame 2 waits for its neighbour");
    }

    @Test
    void aFrameTheEncoderFailsOnIsReportedAndItsProcedureGoesOnWithoutIt() throws Exception {
        FailingStages stages = new FailingStages(model);
        BatchRunner runner = new BatchRunner(stages, new BatchPolicy(2, 0, 1000, 3));
        Recorder r = new Recorder();
        byte[] poison = FailingStages.marked(rgb("A", 1), FailingStages.ENCODE);
        List<FrameEvent> events = new ArrayList<>(List.of(
                r.frame("A", 0, rgb("A", 0)),
                r.frame("B", 0, rgb("B", 0)),
                r.frame("A", 1, poison),
                r.frame("B", 1, rgb("B", 1)),
                r.frame("A", 2, rgb("A", 2)),
                r.frame("B", 2, rgb("B", 2)),
                FrameEvent.endOf("A", 2),
                FrameEvent.endOf("B", 2)));
        runner.run(events, r, r);
        assertEquals(1, r.failures.size(), r.failures.toString());
        assertTrue(
                r.failures.get(0).startsWith("A#1 (record): encoding failed: IllegalStateException: injected"),
                r.failures.get(0));
        assertEquals(List.of(2, 2, 1, 1, 2), stages.encodeCalls(), "the failing call is retried frame by frame");
        assertEquals(List.of(0L, 2L), r.out.get("A"));
        assertEquals(List.of(0L, 1L, 2L), r.out.get("B"));
        assertClose(offline(List.of(rgb("A", 0), rgb("A", 2))), r.logits.get("A"), 1e-2);
        assertClose(offline(List.of(rgb("B", 0), rgb("B", 1), rgb("B", 2))), r.logits.get("B"), 1e-2);
        assertEquals(0, r.state.get("A").progress().modelFailures, "a frame segmented resets the count");
        assertEquals(1, r.state.get("A").progress().framesFailed);
    }

    @Test
    void aSegmentationFaultOrNaNLogitsFailOnlyThatFrame() {
        FailingStages stages = new FailingStages(model);
        BatchRunner runner = new BatchRunner(stages, new BatchPolicy(1, 0, 1000, 3));
        Recorder r = new Recorder();
        runner.run(
                List.of(
                        r.frame("A", 0, rgb("A", 0)),
                        r.frame("A", 1, FailingStages.marked(rgb("A", 1), FailingStages.SEGMENT)),
                        r.frame("A", 2, FailingStages.marked(rgb("A", 2), FailingStages.NAN)),
                        r.frame("A", 3, rgb("A", 3))),
                r,
                r);
        runner.run(List.of(FrameEvent.endOf("A", 3)), r, r);
        assertEquals(List.of(0L, 3L), r.out.get("A"));
        assertEquals(2, r.failures.size(), r.failures.toString());
        assertTrue(
                r.failures.get(0).contains("A#1 (record): segmentation failed: IllegalStateException"),
                r.failures.get(0));
        assertTrue(r.failures.get(1).contains("A#2 (record): segmentation gave non-finite logits"), r.failures.get(1));
        assertEquals("end@3", r.ended.get("A"));
    }

    @Test
    void aProcedureTheModelFailsOnThreeTimesInARowIsClosedAndTheOtherCompletes() throws Exception {
        FailingStages stages = new FailingStages(model);
        BatchRunner runner = new BatchRunner(stages, new BatchPolicy(2, 0, 1000, 3));
        Recorder r = new Recorder();
        List<FrameEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] a = i >= 1 && i <= 3 ? FailingStages.marked(rgb("A", i), FailingStages.ENCODE) : rgb("A", i);
            events.add(r.frame("A", i, a));
            events.add(r.frame("B", i, rgb("B", i)));
        }
        events.add(FrameEvent.endOf("A", 5));
        events.add(FrameEvent.endOf("B", 5));
        runner.run(events, r, r);
        assertNull(r.out.get("A"), "nothing of A is segmented: frame 0 still waited for its neighbour");
        List<String> a = r.failures.stream().filter(f -> f.startsWith("A#")).toList();
        assertEquals(6, a.size(), a.toString());
        assertTrue(
                a.get(3).startsWith("A#0 (record): the procedure was closed: the model failed on 3 frames in a row"),
                a.get(3));
        assertTrue(r.ended.get("A").startsWith("closed@5: the model failed on 3 frames in a row"), r.ended.get("A"));
        assertTrue(r.state.get("A").closed());
        assertNotNull(r.state.get("A").progress().closedReason);
        assertEquals(6, r.state.get("A").progress().framesFailed);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), r.out.get("B"));
        assertEquals("end@5", r.ended.get("B"));
        assertClose(
                offline(List.of(rgb("B", 0), rgb("B", 1), rgb("B", 2), rgb("B", 3), rgb("B", 4), rgb("B", 5))),
                r.logits.get("B"),
                1e-2);
    }
}
