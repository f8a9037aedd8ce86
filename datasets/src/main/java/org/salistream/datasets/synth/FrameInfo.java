package org.salistream.datasets.synth;

import java.util.List;
import java.util.Set;

/**
 * Per-frame truth about a synthetic frame: the camera, each polyp's appearance and which low-quality
 * effects apply.
 *
 * @param index        0-based frame index in the case
 * @param camera       the endoscope pose
 * @param polyps       one entry per polyp of the case
 * @param degradations low-quality effects applied to this frame (empty for a clean frame)
 */
public record FrameInfo(int index, CameraPose camera, List<PolypView> polyps, Set<Degradation> degradations) {

    public FrameInfo {
        polyps = List.copyOf(polyps);
        degradations = Set.copyOf(degradations);
    }

    /** True when any polyp is visible. */
    public boolean polypVisible() {
        return polyps.stream().anyMatch(PolypView::visible);
    }

    /** Mask pixels over all polyps. */
    public int polypPixels() {
        return polyps.stream().mapToInt(PolypView::pixels).sum();
    }
}
