package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.nn.TorchSequential;

/**
 * The published {@code SAM} non-local block (Wang et al., "Non-local Neural Networks", CVPR 2018, with
 * max-pool sub-sampling of keys and values): every position of the concatenated short-term pair attends
 * (softmax of dot products, no scaling) to the max-pooled map, the result is projected by {@code W},
 * added to the input, and the input and result are fused by {@code residual_conv}. Published with
 * {@code bn_layer=False}, so {@code W} is a plain 1x1 convolution.
 */
public final class NonLocalSam extends SaliBlock {

    private final int in;
    private final int inter;
    private final int poolScale;
    private final TorchSequential g;
    private final Conv2dLayer w;
    private final Conv2dLayer residual;

    /** A block over {@code in} channels (inter = in/2) with {@code poolScale} x {@code poolScale} max pooling. */
    public NonLocalSam(int in, int poolScale) {
        this.in = in;
        this.inter = Math.max(1, in / 2);
        this.poolScale = poolScale;
        g = addChildBlock(
                "g",
                new TorchSequential()
                        .add(Conv2dLayer.builder()
                                .setInChannels(in)
                                .setOutChannels(inter)
                                .setKernel(1)
                                .build())
                        .add(LambdaBlock.singleton(this::pool, "max_pool")));
        residual = addChildBlock(
                "residual_conv",
                Conv2dLayer.builder()
                        .setInChannels(2 * in)
                        .setOutChannels(in)
                        .setKernel(1)
                        .build());
        w = addChildBlock(
                "W",
                Conv2dLayer.builder()
                        .setInChannels(inter)
                        .setOutChannels(in)
                        .setKernel(1)
                        .build());
    }

    private NDArray pool(NDArray x) {
        Shape k = new Shape(poolScale, poolScale);
        return Pool.maxPool2d(x, k, k, new Shape(0, 0), false); // (B, C, H/s, W/s)
    }

    /** Applies the block to {@code x} (B, C, H, W). */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        requireChannels(x, in, "SAM(" + in + ")");
        long b = x.getShape().get(0);
        long h = x.getShape().get(2);
        long wd = x.getShape().get(3);
        NDArray gx = g.forward(ps, x, training).reshape(b, inter, -1).transpose(0, 2, 1); // (B, M, Ci)
        NDArray theta = x.reshape(b, in, -1).transpose(0, 2, 1); // (B, N, C)
        NDArray phi = pool(x).reshape(b, in, -1); // (B, C, M)
        NDArray f = theta.matMul(phi).softmax(-1); // (B, N, M)
        NDArray y = f.matMul(gx).transpose(0, 2, 1).reshape(b, inter, h, wd); // (B, Ci, H, W)
        NDArray z = w.forward(ps, y, training).add(x); // (B, C, H, W)
        return residual.forward(ps, NDArrays.concat(new NDList(x, z), 1), training); // (B, C, H, W)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
