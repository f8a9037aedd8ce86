package org.salistream.pipeline.state;

/**
 * What the output of a frame needs once it is segmented (possibly a frame later, in {@code next} mode):
 * index, capture time, device and original size. A Flink POJO.
 */
public class FrameMeta {

    /** Frame index. */
    public long index;
    /** Capture time, epoch microseconds. */
    public long captureMicros;
    /** Scope or gateway id. */
    public String deviceId;
    /** Original width. */
    public int width;
    /** Original height. */
    public int height;

    /** For Flink. */
    public FrameMeta() {
    }

    /** A frame's metadata. */
    public FrameMeta(long index, long captureMicros, String deviceId, int width, int height) {
        this.index = index;
        this.captureMicros = captureMicros;
        this.deviceId = deviceId;
        this.width = width;
        this.height = height;
    }
}
