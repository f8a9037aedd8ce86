package org.salistream.trainer.data;

/**
 * One training sample of the published {@code VideoDataset}: frame indices within a case of the memory frame
 * (whose ground truth weights the memory), the current frame (whose ground truth supervises) and the
 * neighbouring frame.
 *
 * @param caseId the case (video) folder
 * @param memory index of the memory frame
 * @param current index of the current frame
 * @param neighbour index of the neighbouring frame
 */
public record Triplet(String caseId, int memory, int current, int neighbour) {

    /** Checks the indices. */
    public Triplet {
        if (memory < 0 || current < 0 || neighbour < 0) {
            throw new IllegalArgumentException(
                    "frame indices must not be negative: " + memory + ", " + current + ", " + neighbour);
        }
    }
}
