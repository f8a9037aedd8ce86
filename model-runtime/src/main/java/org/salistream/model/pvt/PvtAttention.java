package org.salistream.model.pvt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.LayerNormLayer;
import org.salistream.model.nn.LinearLayer;
import org.salistream.model.nn.SaliBlock;
import org.salistream.ops.Attention;

/**
 * PVTv2's spatial-reduction attention (SRA): multi-head attention whose keys and values come from the
 * token map reduced by a strided convolution ({@code sr}, kernel = stride = sr_ratio) and a LayerNorm
 * ({@code norm}); with sr_ratio 1 the tokens attend to themselves. Scale = head_dim^-0.5.
 */
public final class PvtAttention extends SaliBlock {

    private final int dim;
    private final int heads;
    private final int srRatio;
    private final float scale;
    private final LinearLayer q;
    private final LinearLayer kv;
    private final LinearLayer proj;
    private final Conv2dLayer sr;
    private final LayerNormLayer norm;

    /** Attention over {@code dim} channels with {@code heads} heads and the given reduction ratio. */
    public PvtAttention(int dim, int heads, int srRatio) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " should be divided by num_heads " + heads);
        }
        this.dim = dim;
        this.heads = heads;
        this.srRatio = srRatio;
        this.scale = (float) Math.pow(dim / heads, -0.5);
        q = addChildBlock("q", new LinearLayer(dim, dim, true));
        kv = addChildBlock("kv", new LinearLayer(dim, dim * 2, true));
        proj = addChildBlock("proj", new LinearLayer(dim, dim, true));
        if (srRatio > 1) {
            sr = addChildBlock(
                    "sr",
                    Conv2dLayer.builder()
                            .setInChannels(dim)
                            .setOutChannels(dim)
                            .setKernel(srRatio)
                            .optStride(srRatio)
                            .build());
            norm = addChildBlock("norm", new LayerNormLayer(dim, PvtV2Config.LAYER_NORM_EPS));
        } else {
            sr = null;
            norm = null;
        }
    }

    /** Attends over tokens {@code x} (B, N, C) laid out on an h x w grid. */
    public NDArray forward(ParameterStore ps, NDArray x, int h, int w, boolean training) {
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        int d = dim / heads;
        NDArray query = q.forward(ps, x, training).reshape(b, n, heads, d).transpose(0, 2, 1, 3); // (B, h, N, d)
        NDArray source = x;
        if (sr != null) {
            NDArray grid = x.transpose(0, 2, 1).reshape(b, dim, h, w); // (B, C, H, W)
            NDArray reduced = sr.forward(ps, grid, training); // (B, C, H/r, W/r)
            source = norm.forward(ps, reduced.reshape(b, dim, -1).transpose(0, 2, 1), training); // (B, M, C)
        }
        NDArray kvs = kv.forward(ps, source, training)
                .reshape(b, -1, 2, heads, d)
                .transpose(2, 0, 3, 1, 4); // (2, B, h, M, d)
        NDArray key = kvs.get(0); // (B, h, M, d)
        NDArray val = kvs.get(1); // (B, h, M, d)
        NDArray heads;
        if (training) {
            NDArray logits = query.matMul(key.transpose(0, 1, 3, 2)); // (B, h, N, M)
            // The scale as a libtorch-owned scalar: DJL's mul(Number) wraps a Java buffer that autograd keeps
            // for backward and that the GC may free first (garbage gradients in training).
            NDArray s = logits.getManager().full(new Shape(), scale, logits.getDataType());
            heads = logits.mul(s).softmax(-1).matMul(val); // (B, h, N, d)
        } else {
            // The same numbers from libtorch's fused kernel (scale d^-0.5 = this.scale), 2-3x faster on a CPU.
            heads = Attention.scaledDotProduct(query, key, val); // (B, h, N, d)
        }
        NDArray out = heads.transpose(0, 2, 1, 3).reshape(b, n, dim); // (B, N, C)
        return proj.forward(ps, out, training); // (B, N, C)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        return new NDList(forward(ps, x, inputs.get(1).getInt(0), inputs.get(1).getInt(1), training));
    }
}
