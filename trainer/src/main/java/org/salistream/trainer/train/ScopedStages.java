package org.salistream.trainer.train;

import ai.djl.ndarray.NDScope;
import java.util.List;
import org.salistream.model.ModelConfig;
import org.salistream.model.image.RgbImage;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.SaliStages;
import org.salistream.model.stage.SegmentRequest;
import org.salistream.model.stage.SegmentResult;

/**
 * {@link SaliStages} whose every call runs in an {@link NDScope}, so that each tensor it creates is closed when
 * it returns (its results are plain Java values). The validation segments hundreds of frames with the network
 * being trained: some of SALI's intermediate tensors are created in the manager of the parameters (the
 * deformable convolution's output follows its weight), not in the call's own sub-manager, and would otherwise
 * stay until training ends.
 */
final class ScopedStages implements SaliStages {

    private final SaliStages inner;

    ScopedStages(SaliStages inner) {
        this.inner = inner;
    }

    @Override
    public ModelConfig config() {
        return inner.config();
    }

    @Override
    public List<FrameFeatures> encode(List<RgbImage> frames) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return inner.encode(frames);
        }
    }

    @Override
    public List<FrameFeatures> encodeNormalized(List<float[]> frames) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return inner.encodeNormalized(frames);
        }
    }

    @Override
    public List<SegmentResult> segment(List<SegmentRequest> requests) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return inner.segment(requests);
        }
    }

    @Override
    public void close() {
        inner.close();
    }
}
