package org.salistream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code torch.nn.LayerNorm} over the last axis: {@code weight} and {@code bias} of the feature size.
 * PVTv2 builds it with eps 1e-6 ({@code partial(nn.LayerNorm, eps=1e-6)}).
 */
public final class LayerNormLayer extends SaliBlock {

    private final int features;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /** A LayerNorm over {@code features} with the given epsilon. */
    public LayerNormLayer(int features, float eps) {
        this.features = features;
        this.eps = eps;
        weight = param("weight", Parameter.Type.GAMMA, new Shape(features));
        bias = param("bias", Parameter.Type.BETA, new Shape(features));
    }

    /** Normalises {@code x} of shape (..., features). */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return LayerNorm.layerNorm(
                        x, new Shape(features), value(ps, weight, x, training), value(ps, bias, x, training), eps)
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
