package org.salistream.model.pvt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.LayerNormLayer;
import org.salistream.model.nn.SaliBlock;

/**
 * PVTv2's overlapping patch embedding: a strided convolution ({@code proj}, kernel 7 stride 4 for the first
 * stage, kernel 3 stride 2 after, padding kernel/2) followed by a LayerNorm ({@code norm}) over tokens.
 */
public final class OverlapPatchEmbed extends SaliBlock {

    private final Conv2dLayer proj;
    private final LayerNormLayer norm;

    /** A patch embedding from {@code inChannels} to {@code embedDim} with the given kernel and stride. */
    public OverlapPatchEmbed(int inChannels, int embedDim, int patchSize, int stride) {
        proj = addChildBlock(
                "proj",
                Conv2dLayer.builder()
                        .setInChannels(inChannels)
                        .setOutChannels(embedDim)
                        .setKernel(patchSize)
                        .optStride(stride)
                        .optPadding(patchSize / 2)
                        .build());
        norm = addChildBlock("norm", new LayerNormLayer(embedDim, PvtV2Config.LAYER_NORM_EPS));
    }

    /**
     * Embeds {@code x}.
     *
     * @return the tokens (B, N, C) with N = H*W, and H and W in {@code hw}
     */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training, int[] hw) {
        NDArray y = proj.forward(ps, x, training); // (B, C, H, W)
        hw[0] = (int) y.getShape().get(2);
        hw[1] = (int) y.getShape().get(3);
        NDArray tokens = y.reshape(y.getShape().get(0), y.getShape().get(1), -1).transpose(0, 2, 1); // (B, N, C)
        return norm.forward(ps, tokens, training); // (B, N, C)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training, new int[2]));
    }
}
