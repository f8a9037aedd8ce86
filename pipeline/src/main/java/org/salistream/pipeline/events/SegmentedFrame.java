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

    /** For Flink. */
    public SegmentedFrame() {
    }

    /** The end marker of a procedure. */
    public static SegmentedFrame end(String procedureId, long lastIndex) {
        SegmentedFrame s = new SegmentedFrame();
        s.kind = FrameEvent.Kind.END;
        s.procedureId = procedureId;
        s.frameIndex = lastIndex;
        s.logits = new float[0];
        s.deviceId = "";
        return s;
    }

    @Override
    public String toString() {
        return "SegmentedFrame[" + kind + " " + LogIds.procedure(procedureId) + " #" + frameIndex + "]";
    }
}
