package org.salistream.pipeline.events;

import org.salistream.kafka.LogIds;

/**
 * A validated and decoded frame of a procedure, or the procedure's end, keyed by procedure id. The frame
 * is carried resized to the model size (8-bit RGB, Pillow's bilinear filter, as the published loader
 * resizes) so that the keyed stage only runs the network; the original record rides along for a dead
 * letter the keyed stage may still have to write (out-of-order frames). A Flink POJO.
 */
public class FrameEvent {

    /** What this event is. */
    public enum Kind {
        /** A frame to segment. */
        FRAME,
        /** The procedure ended. */
        END
    }

    /** Frame or end. */
    public Kind kind;
    /** Procedure id (the key). */
    public String procedureId;
    /** Frame index (FRAME), or the last index the producer sent (END). */
    public long frameIndex;
    /** Capture time, epoch microseconds. */
    public long captureMicros;
    /** Scope or gateway id. */
    public String deviceId;
    /** Original frame width. */
    public int width;
    /** Original frame height. */
    public int height;
    /** The frame at model size, RGB interleaved (S x S x 3); empty for END. */
    public byte[] modelRgb;
    /** When the decode stage accepted the record, epoch microseconds. */
    public long receivedMicros;
    /** The original record, for a dead letter. */
    public RawFrame source;

    /** For Flink. */
    public FrameEvent() {}

    /** The end of a procedure that no record announced (an idle procedure being finished). */
    public static FrameEvent endOf(String procedureId, long lastIndex) {
        FrameEvent e = new FrameEvent();
        e.kind = Kind.END;
        e.procedureId = procedureId;
        e.frameIndex = lastIndex;
        e.deviceId = "";
        e.modelRgb = new byte[0];
        return e;
    }

    /** Whether this is the end of the procedure. */
    public boolean isEnd() {
        return kind == Kind.END;
    }

    @Override
    public String toString() {
        return "FrameEvent[" + kind + " " + LogIds.procedure(procedureId) + " #" + frameIndex + "]";
    }
}
