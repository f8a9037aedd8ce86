package org.salistream.trainer.data;

import java.util.List;

/**
 * A batch of training triplets stacked as the published {@code DataLoader} collates them, each array
 * batch-major and channel-major.
 *
 * @param memory memory frames (B, 3, S, S)
 * @param current current frames (B, 3, S, S)
 * @param neighbour neighbouring frames (B, 3, S, S)
 * @param gtMemory memory frames' masks (B, 1, S, S)
 * @param gt current frames' masks (B, 1, S, S)
 * @param batch B
 * @param size S
 */
public record TrainBatch(
        float[] memory, float[] current, float[] neighbour, float[] gtMemory, float[] gt, int batch, int size) {

    /** Stacks samples of one size. */
    public static TrainBatch of(List<TrainSample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("an empty batch");
        }
        int s = samples.get(0).size();
        int b = samples.size();
        int img = 3 * s * s;
        int msk = s * s;
        float[] mem = new float[b * img];
        float[] cur = new float[b * img];
        float[] nbr = new float[b * img];
        float[] gtMem = new float[b * msk];
        float[] gt = new float[b * msk];
        for (int i = 0; i < b; i++) {
            TrainSample t = samples.get(i);
            if (t.size() != s) {
                throw new IllegalArgumentException("samples of one batch differ in size: " + t.size() + " vs " + s);
            }
            System.arraycopy(t.memory(), 0, mem, i * img, img);
            System.arraycopy(t.current(), 0, cur, i * img, img);
            System.arraycopy(t.neighbour(), 0, nbr, i * img, img);
            System.arraycopy(t.gtMemory(), 0, gtMem, i * msk, msk);
            System.arraycopy(t.gt(), 0, gt, i * msk, msk);
        }
        return new TrainBatch(mem, cur, nbr, gtMem, gt, b, s);
    }
}
