package org.salistream.pipeline.events;

import org.salistream.kafka.LogIds;

/**
 * A frame's published mask (the serialised {@code masks} envelope) with the few numbers the alert stage
 * reads, or a procedure's end. A Flink POJO: the envelope travels as its wire bytes.
 */
public class MaskFrame {

    /** Frame or end. */
    public FrameEvent.Kind kind;
    /** Procedure id. */
    public String procedureId;
    /** Frame index. */
    public long frameIndex;
    /** Capture time, epoch microseconds. */
    public long captureMicros;
    /** Emit time, epoch microseconds. */
    public long emitMicros;
    /** The frame's polyp confidence (max sigmoid probability). */
    public float maxProbability;
    /** Largest region's box, x (or -1 when none). */
    public int boxX = -1;
    /** Largest region's box, y. */
    public int boxY;
    /** Largest region's box, width. */
    public int boxW;
    /** Largest region's box, height. */
    public int boxH;
    /** Largest region's score. */
    public float boxScore;
    /** The masks-topic value (MaskEnvelope wire bytes); empty for END. */
    public byte[] envelope;
    /** END only: why the procedure was closed before its end-of-procedure record, or null. */
    public String closedReason;

    /** For Flink. */
    public MaskFrame() {}

    /** Whether this is the end of the procedure. */
    public boolean isEnd() {
        return kind == FrameEvent.Kind.END;
    }

    @Override
    public String toString() {
        return "MaskFrame[" + kind + " " + LogIds.procedure(procedureId) + " #" + frameIndex + "]";
    }
}
