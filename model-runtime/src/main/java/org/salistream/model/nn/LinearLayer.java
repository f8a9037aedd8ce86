package org.salistream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code torch.nn.Linear}: {@code weight} (out, in) and {@code bias} (out), applied on the last axis. */
public final class LinearLayer extends SaliBlock {

    private final int in;
    private final Parameter weight;
    private final Parameter bias;

    /** A linear map from {@code in} to {@code out} features, with a bias when {@code withBias}. */
    public LinearLayer(int in, int out, boolean withBias) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got " + in + "->" + out);
        }
        this.in = in;
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in));
        bias = withBias ? param("bias", Parameter.Type.BIAS, new Shape(out)) : null;
    }

    /** Applies the map to {@code x} of shape (..., in). */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        if (s.get(s.dimension() - 1) != in) {
            throw new IllegalArgumentException("Linear expects (..., " + in + "), got " + s);
        }
        return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training))
                .singletonOrThrow(); // (..., out)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
