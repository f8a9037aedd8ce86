package org.salistream.model.stage;

import java.util.ArrayList;
import java.util.List;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;

/**
 * Segments one procedure offline, frame by frame, with {@link SaliStages}: each frame is encoded once and
 * paired by a {@link ShortTermWindow}; the memory bank is threaded through in order. This is the reference
 * loop that the streaming job reproduces with keyed state, and what {@code sali segment} runs.
 */
public final class ProcedureRunner {

    /** Receives each segmented frame, in order. */
    @FunctionalInterface
    public interface Sink {
        /** One frame's result; {@code memory} is the bank after it. */
        void accept(long index, SegmentResult result) throws Exception;
    }

    private final SaliStages stages;
    private final boolean longTermMemory;
    private ShortTermWindow window;
    private MemoryState memory = MemoryState.empty();
    private int firstWidth = -1;
    private int firstHeight = -1;

    /** A runner for one procedure. */
    public ProcedureRunner(SaliStages stages) {
        this(stages, true);
    }

    /**
     * A runner for one procedure, with SALI's long-term memory or without it: then every frame reads only its
     * own keys and values, as the published first frame does, and the short-term alignment is unchanged (the
     * memory ablation of {@code sali bench memory}).
     */
    public ProcedureRunner(SaliStages stages, boolean longTermMemory) {
        this.stages = stages;
        this.longTermMemory = longTermMemory;
        this.window = ShortTermWindow.start(stages.config().neighbor());
    }

    /**
     * Takes the next frame.
     *
     * @throws IllegalArgumentException when its size differs from the procedure's first frame
     */
    public void accept(long index, RgbImage frame, Sink sink) throws Exception {
        if (firstWidth < 0) {
            firstWidth = frame.width();
            firstHeight = frame.height();
        } else if (frame.width() != firstWidth || frame.height() != firstHeight) {
            throw new IllegalArgumentException("frame " + index + " is " + frame.width() + "x" + frame.height()
                    + " but the procedure's frames are " + firstWidth + "x" + firstHeight);
        }
        acceptFeatures(index, stages.encode(List.of(frame)).get(0), sink);
    }

    /** Takes the next frame's features (already encoded). */
    public void acceptFeatures(long index, FrameFeatures features, Sink sink) throws Exception {
        ShortTermWindow.Step step = window.accept(index, features);
        window = step.window();
        run(step.ready(), sink);
    }

    /** Ends the procedure, segmenting any frame still waiting for its neighbour. */
    public void finish(Sink sink) throws Exception {
        ShortTermWindow.Step step = window.finish();
        window = step.window();
        run(step.ready(), sink);
    }

    /** The memory bank after the frames segmented so far. */
    public MemoryState memory() {
        return memory;
    }

    private void run(List<ShortTermWindow.Ready> ready, Sink sink) throws Exception {
        for (ShortTermWindow.Ready r : ready) {
            FramePolicy policy = longTermMemory
                    ? FramePolicy.forOrdinal(r.ordinal(), stages.config().memFreq())
                    : FramePolicy.START;
            List<SegmentResult> out = stages.segment(
                    new ArrayList<>(List.of(new SegmentRequest(r.current(), r.neighbour(), memory, policy))));
            memory = out.get(0).memory();
            sink.accept(r.index(), out.get(0));
        }
    }
}
