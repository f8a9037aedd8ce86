package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.SaliBlock;

/**
 * A reverse stage of SINet-V2's decoder: the guidance is reversed ({@code 1 - sigmoid(y)}) and refined by
 * three group-reversal attentions with groups of 32, 8 and 1 channels ({@code weak_gra},
 * {@code medium_gra}, {@code strong_gra}); the stage returns the refined guidance.
 */
public final class ReverseStage extends SaliBlock {

    private final GroupReversalAttention weak;
    private final GroupReversalAttention medium;
    private final GroupReversalAttention strong;

    /** A reverse stage over {@code channel} channels. */
    public ReverseStage(int channel) {
        weak = addChildBlock("weak_gra", new GroupReversalAttention(channel, channel));
        medium = addChildBlock("medium_gra", new GroupReversalAttention(channel, 8));
        strong = addChildBlock("strong_gra", new GroupReversalAttention(channel, 1));
    }

    /** Refines guidance {@code y} (B, 1, H, W) with features {@code x} (B, C, H, W). */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray y, boolean training) {
        NDArray rev = Activation.sigmoid(y).neg().add(1f); // (B, 1, H, W)
        NDList a = weak.forward(ps, x, rev, training);
        NDList b = medium.forward(ps, a.get(0), a.get(1), training);
        return strong.forward(ps, b.get(0), b.get(1), training).get(1); // (B, 1, H, W)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
    }
}
