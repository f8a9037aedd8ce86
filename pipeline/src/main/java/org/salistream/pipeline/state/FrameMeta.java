package org.salistream.pipeline.state;

/**
 * What the output of a frame needs once it is segmented (possibly a frame later, in {@code next} mode):
 * index, capture time, device, original size, and where the record came from (so that a frame the model
 * fails on can be dead-lettered with its source coordinates after its bytes are gone). A Flink POJO.
 *
 * <p>The source fields were added after the first release; a frame held in a checkpoint of that release
 * restores with partition and offset -1 (POJO schema evolution: new fields take their default).
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
    /** Partition of the frames topic the record came from, or -1 when unknown. */
    public int sourcePartition = -1;
    /** Offset of the record in that partition, or -1 when unknown. */
    public long sourceOffset = -1;

    /** For Flink. */
    public FrameMeta() {}

    /** A frame's metadata. */
    public FrameMeta(
            long index,
            long captureMicros,
            String deviceId,
            int width,
            int height,
            int sourcePartition,
            long sourceOffset) {
        this.index = index;
        this.captureMicros = captureMicros;
        this.deviceId = deviceId;
        this.width = width;
        this.height = height;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
    }
}
