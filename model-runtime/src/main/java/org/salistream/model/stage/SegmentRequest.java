package org.salistream.model.stage;

import java.util.Objects;
import org.salistream.model.memory.MemoryState;

/**
 * One frame to segment: its features, its short-term neighbour's, the procedure's memory bank before this
 * frame, and what the frame does with the memory.
 *
 * @param current the frame's features
 * @param neighbour the neighbouring frame's features (the frame's own where it has none)
 * @param memory the procedure's memory bank (ignored, and replaced, when the policy is START)
 * @param policy read/add behaviour
 */
public record SegmentRequest(FrameFeatures current, FrameFeatures neighbour, MemoryState memory, FramePolicy policy) {

    /** Checks that the pair can be aligned and that a reading frame has a memory to read. */
    public SegmentRequest {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(neighbour, "neighbour");
        Objects.requireNonNull(policy, "policy");
        memory = memory == null ? MemoryState.empty() : memory;
        if (!current.sameShape(neighbour)) {
            throw new IllegalArgumentException("current " + current + " and neighbour " + neighbour
                    + " differ in shape (frames of different sizes within one procedure?)");
        }
        if (policy.readsMemory() && memory.isEmpty()) {
            throw new IllegalArgumentException(
                    "a " + policy + " frame needs a memory bank; the procedure's" + " first frame must be START");
        }
    }
}
