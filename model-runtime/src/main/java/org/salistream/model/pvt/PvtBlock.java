package org.salistream.model.pvt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.LayerNormLayer;
import org.salistream.model.nn.SaliBlock;

/**
 * One PVTv2 transformer block: {@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}. Stochastic
 * depth (drop path) is an identity at inference and is not applied here.
 */
public final class PvtBlock extends SaliBlock {

    private final LayerNormLayer norm1;
    private final PvtAttention attn;
    private final LayerNormLayer norm2;
    private final PvtMlp mlp;

    /** A block of {@code dim} channels. */
    public PvtBlock(int dim, int heads, int mlpRatio, int srRatio) {
        norm1 = addChildBlock("norm1", new LayerNormLayer(dim, PvtV2Config.LAYER_NORM_EPS));
        attn = addChildBlock("attn", new PvtAttention(dim, heads, srRatio));
        norm2 = addChildBlock("norm2", new LayerNormLayer(dim, PvtV2Config.LAYER_NORM_EPS));
        mlp = addChildBlock("mlp", new PvtMlp(dim, dim * mlpRatio));
    }

    /** Applies the block to tokens {@code x} (B, N, C) on an h x w grid. */
    public NDArray forward(ParameterStore ps, NDArray x, int h, int w, boolean training) {
        NDArray y = x.add(attn.forward(ps, norm1.forward(ps, x, training), h, w, training)); // (B, N, C)
        return y.add(mlp.forward(ps, norm2.forward(ps, y, training), h, w, training)); // (B, N, C)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1).getInt(0), inputs.get(1).getInt(1), training));
    }
}
