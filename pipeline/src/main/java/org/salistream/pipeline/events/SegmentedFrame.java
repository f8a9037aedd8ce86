package org.salistream.pipeline.events;

import org.salistream.kafka.LogIds;

/**
 * The SALI operator's output: one segmented frame (its logits at model size and what the masks topic needs
 * to describe it), or the end of a procedure after its last frame. A Flink POJO.
 */
public class SegmentedFrame {

    /** Frame or end. */
    public FrameEvent.Kind kind;
    /** Procedure id. */
    public String procedureId;
    /** Frame index. */
    public long frameIndex;
    /** Capture time, epoch microseconds. */
    public long captureMicros;
    /** Scope or gateway id. */
    public String deviceId;
    /** Original frame width. */
    public int width;
    /** Original frame height. */
    public int height;
    /** Model size S. */
    public int size;
    /** Final logits (S x S), before the sigmoid; empty for END. */
    public float[] logits;
    /** Frames in the procedure's memory bank after this frame. */
    public int memoryFrames;
    /** Frames in the model batch this frame was segmented in. */
    public int batchSize;
    /** Partition of the frames topic the frame came from, or -1 when unknown. */
    public int sourcePartition = -1;
    /** Offset of the frame's record, or -1 when unknown. */
    public long sourceOffset = -1;
    /** END only: why the procedure was closed before its end-of-procedure record, or null. */
    public String closedReason;

    /** For Flink. */
    public SegmentedFrame() {}

    /** The end marker of a procedure; {@code closedReason} says why it was closed early, or is null. */
    public static SegmentedFrame end(String procedureId, long lastIndex, String closedReason) {
        SegmentedFrame s = new SegmentedFrame();
        s.kind = FrameEvent.Kind.END;
        s.procedureId = procedureId;
        s.frameIndex = lastIndex;
        s.logits = new float[0];
        s.deviceId = "";
        s.closedReason = closedReason;
        return s;
    }

    @Override
    public String toString() {
        return "SegmentedFrame[" + kind + " " + LogIds.procedure(procedureId) + " #" + frameIndex + "]";
    }
}
