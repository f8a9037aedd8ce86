package org.salistream.trainer.data;

/**
 * One augmented, resized and normalised training triplet, as the published {@code VideoDataset.__getitem__}
 * returns it: three frames normalised with the ImageNet mean and std, (3, S, S) each, channel-major, and two
 * masks in [0, 1], (S, S) each.
 *
 * @param memory the memory frame (3, S, S)
 * @param current the current frame (3, S, S)
 * @param neighbour the neighbouring frame (3, S, S)
 * @param gtMemory the memory frame's mask (S, S)
 * @param gt the current frame's mask (S, S)
 * @param size S
 */
public record TrainSample(float[] memory, float[] current, float[] neighbour, float[] gtMemory, float[] gt, int size) {

    /** Checks the sizes. */
    public TrainSample {
        int n = size * size;
        if (memory.length != 3 * n
                || current.length != 3 * n
                || neighbour.length != 3 * n
                || gtMemory.length != n
                || gt.length != n) {
            throw new IllegalArgumentException(
                    "a training sample at " + size + "x" + size + " needs three 3xSxS frames and two SxS masks");
        }
    }
}
