package org.salistream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Base of every SALI block: a DJL {@link AbstractBlock} whose parameters have explicit shapes from the
 * start (as PyTorch modules do), so that a checkpoint can be mapped onto it by name before any forward
 * pass, and whose children are named like the published {@code state_dict}.
 *
 * <p>DJL normally infers parameter shapes from input shapes during {@code initialize}; our shapes never
 * depend on the input, so children are initialised with whatever shapes are passed, and
 * {@link #getOutputShapes} is not offered (the spatial sizes follow the frame size at run time).
 */
public abstract class SaliBlock extends AbstractBlock {

    /** A block of the current serialisation version. */
    protected SaliBlock() {
        super((byte) 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + ": output shapes follow the frame size at run time");
    }

    /** Adds a parameter of a fixed shape, named as in PyTorch. */
    protected final Parameter param(String name, Parameter.Type type, Shape shape) {
        boolean learnable = type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR;
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(shape)
                .optRequiresGrad(learnable)
                .build());
    }

    /** The value of a parameter on the device of {@code like}. */
    protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return p == null ? null : ps.getValue(p, like.getDevice(), training);
    }

    /** Runs a single-input, single-output child through DJL's forward. */
    protected static NDArray call(
            Block block, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
        return block.forward(ps, new NDList(x), training, params).singletonOrThrow();
    }

    /** Fails with a clear message when a tensor's rank or channel count is not what a layer expects. */
    protected static void requireChannels(NDArray x, int channels, String layer) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException(layer + " expects (B, " + channels + ", H, W), got " + s);
        }
    }
}
