package org.salistream.model.pvt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.LayerNormLayer;
import org.salistream.model.nn.SaliBlock;

/**
 * One PVTv2 transformer block: {@code x + drop_path(attn(norm1(x)))}, then {@code x + drop_path(mlp(norm2(x)))}.
 * Stochastic depth ({@link StochasticDepth}) acts in training only, where the encoder set a rate; at
 * inference the block is exactly {@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}.
 */
public final class PvtBlock extends SaliBlock {

    private final LayerNormLayer norm1;
    private final PvtAttention attn;
    private final LayerNormLayer norm2;
    private final PvtMlp mlp;
    private double dropPath;
    private StochasticDepth depth;

    /** A block of {@code dim} channels. */
    public PvtBlock(int dim, int heads, int mlpRatio, int srRatio) {
        norm1 = addChildBlock("norm1", new LayerNormLayer(dim, PvtV2Config.LAYER_NORM_EPS));
        attn = addChildBlock("attn", new PvtAttention(dim, heads, srRatio));
        norm2 = addChildBlock("norm2", new LayerNormLayer(dim, PvtV2Config.LAYER_NORM_EPS));
        mlp = addChildBlock("mlp", new PvtMlp(dim, dim * mlpRatio));
    }

    /** Sets this block's drop-path probability and the draws it uses (0: none, as at inference). */
    void setDropPath(double p, StochasticDepth draws) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("drop-path probability must be in [0, 1), got " + p);
        }
        this.dropPath = p;
        this.depth = draws;
    }

    /** This block's drop-path probability. */
    public double dropPath() {
        return dropPath;
    }

    /** Applies the block to tokens {@code x} (B, N, C) on an h x w grid. */
    public NDArray forward(ParameterStore ps, NDArray x, int h, int w, boolean training) {
        NDArray a = attn.forward(ps, norm1.forward(ps, x, training), h, w, training); // (B, N, C)
        NDArray y = x.add(dropPath(a, training)); // (B, N, C)
        NDArray f = mlp.forward(ps, norm2.forward(ps, y, training), h, w, training); // (B, N, C)
        return y.add(dropPath(f, training)); // (B, N, C)
    }

    private NDArray dropPath(NDArray branch, boolean training) {
        return training && dropPath > 0 ? depth.apply(branch, dropPath) : branch;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(
                ps, inputs.get(0), inputs.get(1).getInt(0), inputs.get(1).getInt(1), training));
    }
}
