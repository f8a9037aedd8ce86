package org.salistream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code torch.nn.BatchNorm2d} (eps 1e-5, momentum 0.1): parameters {@code weight}, {@code bias} and the
 * buffers {@code running_mean}, {@code running_var}; PyTorch's {@code num_batches_tracked} buffer is
 * accepted by the checkpoint mapping and not kept (it only matters for momentum=None).
 *
 * <p>At inference the running statistics normalise. In training, batch statistics are used unless the
 * layer is frozen: the published {@code VideoModel.freeze_bn()} keeps the backbone's BatchNorm layers in
 * eval mode throughout training.
 */
public final class BatchNorm2dLayer extends SaliBlock {

    /** PyTorch's default epsilon. */
    public static final float EPS = 1e-5f;
    /** PyTorch's momentum 0.1 in DJL's convention ({@code BatchNorm.batchNorm} passes 1 - momentum to libtorch). */
    private static final float DJL_MOMENTUM = 0.9f;

    private final int channels;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private boolean frozen;

    /** A BatchNorm2d over {@code channels} channels. */
    public BatchNorm2dLayer(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("BatchNorm2d needs positive channels, got " + channels);
        }
        this.channels = channels;
        Shape s = new Shape(channels);
        weight = param("weight", Parameter.Type.GAMMA, s);
        bias = param("bias", Parameter.Type.BETA, s);
        runningMean = param("running_mean", Parameter.Type.RUNNING_MEAN, s);
        runningVar = param("running_var", Parameter.Type.RUNNING_VAR, s);
    }

    /** Keeps the layer in eval mode (running statistics) even when training. */
    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    /** Normalises {@code x}. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        requireChannels(x, channels, "BatchNorm2d(" + channels + ")");
        boolean batchStats = training && !frozen;
        return BatchNorm.batchNorm(
                        x,
                        value(ps, runningMean, x, false),
                        value(ps, runningVar, x, false),
                        value(ps, weight, x, training),
                        value(ps, bias, x, training),
                        // DJL's momentum is MXNet's (the weight of the old running value): DJL hands 1 - 0.9 = 0.1 to
                        // torch.batch_norm, PyTorch's momentum.
                        1,
                        DJL_MOMENTUM,
                        EPS,
                        batchStats)
                .singletonOrThrow(); // (B, C, H, W)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
