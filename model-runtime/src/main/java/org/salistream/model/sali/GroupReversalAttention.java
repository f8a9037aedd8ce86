package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.nn.TorchSequential;

/**
 * Group-reversal attention {@code GRA} (SINet-V2, Fan et al., TPAMI 2022): the features are split into
 * {@code channel / subchannel} groups, the reverse guidance map is interleaved after each group,
 * {@code x = x + conv(x_cat)} ({@code conv = Sequential(Conv2d, ReLU)}) and {@code y = y + score(x)}.
 */
public final class GroupReversalAttention extends SaliBlock {

    private final int groups;
    private final TorchSequential conv;
    private final Conv2dLayer score;

    /** A GRA over {@code channel} channels in groups of {@code subchannel}. */
    public GroupReversalAttention(int channel, int subchannel) {
        if (subchannel <= 0 || channel % subchannel != 0) {
            throw new IllegalArgumentException("GRA channel " + channel + " is not divisible by " + subchannel);
        }
        groups = channel / subchannel;
        conv = addChildBlock(
                "conv",
                new TorchSequential()
                        .add(Conv2dLayer.conv3x3(channel + groups, channel))
                        .add(Activation.reluBlock()));
        score = addChildBlock("score", Conv2dLayer.conv3x3(channel, 1));
    }

    /**
     * Applies the attention.
     *
     * @param x features (B, C, H, W)
     * @param y reverse guidance (B, 1, H, W)
     * @return the refined features and guidance
     */
    public NDList forward(ParameterStore ps, NDArray x, NDArray y, boolean training) {
        NDList parts = new NDList(2 * groups);
        NDList chunks = groups == 1 ? new NDList(x) : x.split(groups, 1); // groups x (B, C/g, H, W)
        for (NDArray chunk : chunks) {
            parts.add(chunk);
            parts.add(y);
        }
        NDArray xCat = NDArrays.concat(parts, 1); // (B, C+g, H, W)
        NDArray xOut = x.add(conv.forward(ps, xCat, training)); // (B, C, H, W)
        NDArray yOut = y.add(score.forward(ps, xOut, training)); // (B, 1, H, W)
        return new NDList(xOut, yOut);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forward(ps, inputs.get(0), inputs.get(1), training);
    }
}
