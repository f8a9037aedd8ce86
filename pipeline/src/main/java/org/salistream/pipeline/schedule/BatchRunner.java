package org.salistream.pipeline.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.FramePolicy;
import org.salistream.model.stage.SaliStages;
import org.salistream.model.stage.SegmentRequest;
import org.salistream.model.stage.SegmentResult;
import org.salistream.model.stage.ShortTermWindow;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.state.FrameMeta;
import org.salistream.pipeline.state.ProcedureProgress;

/**
 * Runs a micro-batch through the network: every frame encoded once (in calls of up to
 * {@code batch.max-size} frames), paired with its neighbour by its procedure's short-term window, then
 * segmented in rounds, round r taking each procedure's r-th ready frame so that frames of different
 * procedures share a call while each procedure's frames stay in order with its memory threaded through.
 * A procedure's frames get the same calls and numbers as {@code sali segment} offline
 * ({@link org.salistream.model.stage.ProcedureRunner}) when batches hold one frame.
 *
 * <p>Faults stay with their frame: a model call that throws is retried frame by frame, and a frame that
 * fails alone (or whose logits are not finite) is reported to {@link Output#failed} and skipped, its
 * procedure's memory left as it was; other procedures go on. A procedure whose model calls fail
 * {@code procedure.max-model-failures} times in a row is closed: its waiting frames are reported as failed
 * and {@link Output#ended} says why.
 *
 * <p>Plain logic: keyed state is reached through {@link States}, output through {@link Output}.
 */
public final class BatchRunner {

    /** Where procedures' state lives between runs (the operator's keyed state). */
    public interface States {
        /** The state of a procedure whose progress exists (its window and memory may be new). */
        Work load(String procedure);

        /** Stores a procedure's state after a run: cleared but for a tombstone when {@link Work#closed()}. */
        void store(String procedure, Work work);
    }

    /** What a run produces, in order. */
    public interface Output {
        /** A frame's result (its metadata taken from the progress) from a call of {@code batchSize} frames. */
        void segmented(String procedure, FrameMeta meta, SegmentResult result, int batchSize);

        /** A frame the model failed on; {@code event} is null when its record is no longer at hand. */
        void failed(String procedure, FrameMeta meta, FrameEvent event, String why);

        /** A procedure ended (after its last frame), or was closed when {@code closedReason} is not null. */
        void ended(String procedure, long lastIndex, String closedReason);

        /** An encode call of {@code frames} frames took {@code nanos}. */
        default void encodeTimed(int frames, long nanos) {}

        /** A segment call of {@code frames} frames took {@code nanos}. */
        default void segmentTimed(int frames, long nanos) {}
    }

    /** A procedure's state during one run: plain values loaded from keyed state and stored back. */
    public static final class Work {
        ShortTermWindow window;
        MemoryState memory;
        final ProcedureProgress progress;
        final List<ShortTermWindow.Ready> ready = new ArrayList<>();
        final Map<Long, FrameEvent> events = new HashMap<>();
        int next;
        boolean ended;

        /** A procedure's window, memory bank and progress. */
        public Work(ShortTermWindow window, MemoryState memory, ProcedureProgress progress) {
            this.window = window;
            this.memory = memory;
            this.progress = progress;
        }

        /** The short-term window. */
        public ShortTermWindow window() {
            return window;
        }

        /** The memory bank. */
        public MemoryState memory() {
            return memory;
        }

        /** The progress. */
        public ProcedureProgress progress() {
            return progress;
        }

        /** Takes a step of the short-term window: its new state, and the frames it made ready to segment. */
        void advance(ShortTermWindow.Step step) {
            window = step.window();
            ready.addAll(step.ready());
        }

        /** Whether the procedure ended or was closed in this run (its state is then cleared). */
        public boolean closed() {
            return ended || progress.closedReason != null;
        }
    }

    private final SaliStages stages;
    private final BatchPolicy policy;

    /** A runner of {@code stages} batching as {@code policy} says. */
    public BatchRunner(SaliStages stages, BatchPolicy policy) {
        this.stages = stages;
        this.policy = policy;
    }

    /** Runs buffered events (frames already accepted into their procedure's progress, and ends). */
    public void run(List<FrameEvent> events, States states, Output out) {
        List<FrameEvent> frames = events.stream().filter(e -> !e.isEnd()).toList();
        List<Object> encoded = encode(frames, out);
        Map<String, Work> byKey = new LinkedHashMap<>();
        int f = 0;
        for (FrameEvent e : events) {
            Work w = byKey.computeIfAbsent(e.procedureId, states::load);
            if (e.isEnd()) {
                if (w.progress.closedReason == null) {
                    w.advance(w.window.finish());
                }
                w.ended = true;
                continue;
            }
            Object features = encoded.get(f++);
            w.events.put(e.frameIndex, e);
            if (w.progress.closedReason != null) {
                drop(e.procedureId, w, e.frameIndex, out);
            } else if (features instanceof FrameFeatures ff) {
                w.advance(w.window.accept(e.frameIndex, ff));
            } else {
                fail(e.procedureId, w, e.frameIndex, (String) features, out);
            }
        }
        segmentInRounds(byKey, out);
        for (Map.Entry<String, Work> en : byKey.entrySet()) {
            Work w = en.getValue();
            states.store(en.getKey(), w);
            if (w.closed()) {
                out.ended(en.getKey(), w.progress.lastIndex, w.progress.closedReason);
            }
        }
    }

    /** Per frame, its features or (a String) why encoding failed. */
    private List<Object> encode(List<FrameEvent> frames, Output out) {
        List<Object> result = new ArrayList<>(frames.size());
        int s = stages.config().size();
        for (int i = 0; i < frames.size(); i += policy.maxSize()) {
            List<RgbImage> batch = new ArrayList<>();
            for (FrameEvent ev : frames.subList(i, Math.min(frames.size(), i + policy.maxSize()))) {
                batch.add(new RgbImage(s, s, ev.modelRgb));
            }
            result.addAll(isolating(batch, this::encodeTimed, out, "encoding"));
        }
        return result;
    }

    private List<FrameFeatures> encodeTimed(List<RgbImage> batch, Output out) {
        long t0 = System.nanoTime();
        List<FrameFeatures> r = stages.encode(batch);
        out.encodeTimed(batch.size(), System.nanoTime() - t0);
        return r;
    }

    private List<SegmentResult> segmentTimed(List<SegmentRequest> batch, Output out) {
        long t0 = System.nanoTime();
        List<SegmentResult> r = stages.segment(batch);
        out.segmentTimed(batch.size(), System.nanoTime() - t0);
        return r;
    }

    /** A model call of a whole batch; when it throws, one call per item, so that only failing items fail. */
    private <I, R> List<Object> isolating(List<I> batch, ModelCall<I, R> call, Output out, String what) {
        try {
            return new ArrayList<>(call.apply(batch, out));
        } catch (RuntimeException whole) {
            if (batch.size() == 1) {
                return new ArrayList<>(List.of(what + " failed: " + describe(whole)));
            }
            List<Object> one = new ArrayList<>(batch.size());
            for (I item : batch) {
                try {
                    one.add(call.apply(new ArrayList<>(List.of(item)), out).get(0));
                } catch (RuntimeException e) {
                    one.add(what + " failed: " + describe(e));
                }
            }
            return one;
        }
    }

    @FunctionalInterface
    private interface ModelCall<I, R> {
        List<R> apply(List<I> batch, Output out);
    }

    private void segmentInRounds(Map<String, Work> byKey, Output out) {
        while (true) {
            List<Map.Entry<String, Work>> round = new ArrayList<>();
            for (Map.Entry<String, Work> en : byKey.entrySet()) {
                Work w = en.getValue();
                if (w.next < w.ready.size() && w.progress.closedReason == null) {
                    round.add(en);
                }
            }
            if (round.isEmpty()) {
                return;
            }
            for (int i = 0; i < round.size(); i += policy.maxSize()) {
                segmentBatch(round.subList(i, Math.min(round.size(), i + policy.maxSize())), out);
            }
        }
    }

    private void segmentBatch(List<Map.Entry<String, Work>> batch, Output out) {
        List<SegmentRequest> requests = new ArrayList<>(batch.size());
        for (Map.Entry<String, Work> en : batch) {
            Work w = en.getValue();
            ShortTermWindow.Ready r = w.ready.get(w.next);
            // A procedure whose first frames failed has no memory yet: its first frame that runs starts one.
            FramePolicy p = w.memory.isEmpty()
                    ? FramePolicy.START
                    : FramePolicy.forOrdinal(r.ordinal(), stages.config().memFreq());
            requests.add(new SegmentRequest(r.current(), r.neighbour(), w.memory, p));
        }
        List<Object> results = isolating(requests, this::segmentTimed, out, "segmentation");
        for (int j = 0; j < batch.size(); j++) {
            String key = batch.get(j).getKey();
            Work w = batch.get(j).getValue();
            ShortTermWindow.Ready r = w.ready.get(w.next++);
            if (results.get(j) instanceof SegmentResult res && finite(res.logits())) {
                w.memory = res.memory();
                out.segmented(key, w.progress.take(r.index()), res, batch.size());
            } else {
                String why = results.get(j) instanceof String s ? s : "segmentation gave non-finite logits";
                fail(key, w, r.index(), why, out);
            }
        }
    }

    /** Reports a frame the model failed on; closes the procedure when the failures in a row reach the limit. */
    private void fail(String key, Work w, long index, String why, Output out) {
        out.failed(key, w.progress.fail(index), w.events.get(index), why);
        if (w.progress.closedReason == null && w.progress.modelFailures >= policy.maxModelFailures()) {
            w.progress.closedReason =
                    "the model failed on " + w.progress.modelFailures + " frames in a row (last: " + why + ")";
            for (; w.next < w.ready.size(); w.next++) {
                drop(key, w, w.ready.get(w.next).index(), out);
            }
            ShortTermWindow.Held pending = w.window.pending();
            if (pending != null) {
                drop(key, w, pending.index(), out);
            }
            w.window = ShortTermWindow.start(w.window.mode());
        }
    }

    /** Reports a frame of a closed procedure, which will never be segmented. */
    private static void drop(String key, Work w, long index, Output out) {
        out.failed(
                key,
                w.progress.drop(index),
                w.events.get(index),
                "the procedure was closed: " + w.progress.closedReason);
    }

    private static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The exception's class and message, never more (no frame bytes reach an exception message here). */
    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName()
                + (m == null ? "" : ": " + (m.length() > 300 ? m.substring(0, 300) + "..." : m));
    }
}
