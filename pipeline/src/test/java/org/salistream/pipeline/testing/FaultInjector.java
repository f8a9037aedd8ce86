package org.salistream.pipeline.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.salistream.pipeline.events.FrameEvent;

/**
 * Fault injection for recovery drills (wired in by tests with {@code SegmentationJob.withFrameTap}): passes frames through and,
 * once per JVM, throws after it has seen N frames and at least one checkpoint has completed, so that the
 * job restarts from a checkpoint taken in the middle of its procedures. Never in the production graph.
 */
public class FaultInjector implements MapFunction<FrameEvent, FrameEvent>, CheckpointListener {

    private static final long serialVersionUID = 1L;
    private static final AtomicBoolean FIRED = new AtomicBoolean();

    private final long afterFrames;
    private transient long seen;
    private transient boolean checkpointed;

    /** Fails once after {@code afterFrames} frames. */
    public FaultInjector(long afterFrames) {
        this.afterFrames = afterFrames;
    }

    /** Arms the injector again (for a new drill in the same JVM). */
    public static void rearm() {
        FIRED.set(false);
    }

    /** Whether the fault has been injected in this JVM. */
    public static boolean fired() {
        return FIRED.get();
    }

    @Override
    public FrameEvent map(FrameEvent e) {
        if (!e.isEnd()) {
            seen++;
        }
        if (seen >= afterFrames && checkpointed && FIRED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected fault (after " + afterFrames + " frames)");
        }
        return e;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
