package org.salistream.model.stage;

import java.util.List;
import org.salistream.model.ModelConfig;
import org.salistream.model.image.RgbImage;

/**
 * The streaming stage contract of SALI: plain values in and out, no tensors, so that a stream processor can
 * keep features and memory banks in keyed state.
 *
 * <p>A procedure is processed as: {@link #encode} each frame once; then, frame by frame in order,
 * {@link #segment} with the frame's features, its neighbour's (see {@link NeighborMode}), the memory
 * returned for the previous frame, and {@link FramePolicy#forOrdinal}. Both calls are batchable: lists
 * may hold frames of different procedures, and give the same numbers as one by one.
 *
 * <p>Implementations are not thread-safe; a stream processor holds one per parallel instance.
 */
public interface SaliStages extends AutoCloseable {

    /** The model's settings. */
    ModelConfig config();

    /** Encodes frames of any size (resized to the model size and normalised). */
    List<FrameFeatures> encode(List<RgbImage> frames);

    /** Encodes frames already normalised at model size, (3, S, S) each. */
    List<FrameFeatures> encodeNormalized(List<float[]> frames);

    /** Segments frames; the results are in the order of the requests. */
    List<SegmentResult> segment(List<SegmentRequest> requests);

    /** Releases native resources. */
    @Override
    void close();
}
