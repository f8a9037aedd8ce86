package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.BatchNorm2dLayer;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.SaliBlock;

/**
 * The published {@code BasicConv2d}: a bias-free convolution ({@code conv}) and a BatchNorm ({@code bn}).
 * Note that, as published, its ReLU is constructed but never applied: the block is conv + BN only.
 */
public final class BasicConv2d extends SaliBlock {

    private final Conv2dLayer conv;
    private final BatchNorm2dLayer bn;

    private BasicConv2d(Conv2dLayer conv) {
        this.conv = addChildBlock("conv", conv);
        this.bn = addChildBlock("bn", new BatchNorm2dLayer(conv.outChannels()));
    }

    /** A square-kernel conv + BN. */
    public static BasicConv2d of(int in, int out, int kernel, int padding, int dilation) {
        return new BasicConv2d(Conv2dLayer.builder()
                .setInChannels(in)
                .setOutChannels(out)
                .setKernel(kernel)
                .optPadding(padding)
                .optDilation(dilation)
                .optBias(false)
                .build());
    }

    /** A conv + BN with a kh x kw kernel and per-axis padding (the RFB's 1x3 / 3x1 convolutions). */
    public static BasicConv2d rect(int in, int out, int kh, int kw, int ph, int pw) {
        return new BasicConv2d(Conv2dLayer.builder()
                .setInChannels(in)
                .setOutChannels(out)
                .setKernel(kh, kw)
                .optPadding(ph, pw)
                .optBias(false)
                .build());
    }

    /** The BatchNorm layer, for freezing. */
    public BatchNorm2dLayer bn() {
        return bn;
    }

    /** conv then BN. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return bn.forward(ps, conv.forward(ps, x, training), training); // (B, O, H, W)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
