package org.salistream.model.stage;

import org.salistream.model.memory.MemoryState;

/**
 * The outcome of segmenting one frame.
 *
 * @param logits the final prediction before the sigmoid (the published {@code res}: S_3 upsampled x8),
 *     (S, S) row-major at model size
 * @param size S
 * @param memory the procedure's memory bank after this frame
 */
public record SegmentResult(float[] logits, int size, MemoryState memory) {

    /** Checks the logits' size. */
    public SegmentResult {
        if (logits.length != size * size) {
            throw new IllegalArgumentException("logits of " + logits.length + " values for size " + size);
        }
    }

    /** The largest logit. */
    public float maxLogit() {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            m = Math.max(m, v);
        }
        return m;
    }
}
