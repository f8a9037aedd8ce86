package org.salistream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.profile.Sections;

/**
 * {@code torch.nn.Conv2d}: parameters {@code weight} (O, C/groups, kh, kw) and optional {@code bias} (O).
 *
 * <p>DJL's own {@code Conv2d} block infers its input channels at initialisation; this one declares every
 * shape up front, so that a PyTorch {@code state_dict} maps onto it by name and shape.
 */
public final class Conv2dLayer extends SaliBlock {

    private final int inChannels;
    private final int outChannels;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;

    private Conv2dLayer(Builder b) {
        inChannels = b.inChannels;
        outChannels = b.outChannels;
        stride = new Shape(b.stride[0], b.stride[1]);
        padding = new Shape(b.padding[0], b.padding[1]);
        dilation = new Shape(b.dilation[0], b.dilation[1]);
        groups = b.groups;
        weight = param(
                "weight", Parameter.Type.WEIGHT, new Shape(outChannels, inChannels / groups, b.kernel[0], b.kernel[1]));
        bias = b.bias ? param("bias", Parameter.Type.BIAS, new Shape(outChannels)) : null;
    }

    /** A builder; in/out channels and kernel are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The published models' most common layer, {@code nn.Conv2d(in, out, 3, padding=1)}: 3x3, stride 1, with
     * bias, keeping the spatial size.
     */
    public static Conv2dLayer conv3x3(int inChannels, int outChannels) {
        return builder()
                .setInChannels(inChannels)
                .setOutChannels(outChannels)
                .setKernel(3)
                .optPadding(1)
                .build();
    }

    /** Convolves {@code x}. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        requireChannels(x, inChannels, "Conv2d(" + inChannels + "->" + outChannels + ")");
        NDArray w = value(ps, weight, x, training);
        NDArray b = value(ps, bias, x, training);
        NDArray y = Conv2d.conv2d(x, w, b, stride, padding, dilation, groups).singletonOrThrow(); // (B, O, Ho, Wo)
        if (Sections.observed()) {
            // libtorch's trace has the input shapes but not the stride: the layer counts its own work.
            Shape ws = w.getShape();
            Sections.flops(2L * y.size() * ws.get(1) * ws.get(2) * ws.get(3));
        }
        return y;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    /** Input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels. */
    public int outChannels() {
        return outChannels;
    }

    /** Builds a {@link Conv2dLayer}. */
    public static final class Builder {
        private int inChannels = -1;
        private int outChannels = -1;
        private int[] kernel;
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private int[] dilation = {1, 1};
        private int groups = 1;
        private boolean bias = true;

        private Builder() {}

        /** Input channels C (required). */
        public Builder setInChannels(int c) {
            inChannels = c;
            return this;
        }

        /** Output channels O (required). */
        public Builder setOutChannels(int o) {
            outChannels = o;
            return this;
        }

        /** A square kernel (required, or {@link #setKernel(int, int)}). */
        public Builder setKernel(int k) {
            return setKernel(k, k);
        }

        /** A kernel of kh rows and kw columns. */
        public Builder setKernel(int kh, int kw) {
            kernel = new int[] {kh, kw};
            return this;
        }

        /** Stride (default 1). */
        public Builder optStride(int s) {
            stride = new int[] {s, s};
            return this;
        }

        /** Zero padding (default 0). */
        public Builder optPadding(int p) {
            return optPadding(p, p);
        }

        /** Zero padding per axis (rows, columns). */
        public Builder optPadding(int ph, int pw) {
            padding = new int[] {ph, pw};
            return this;
        }

        /** Dilation (default 1). */
        public Builder optDilation(int d) {
            dilation = new int[] {d, d};
            return this;
        }

        /** Channel groups (default 1; C for a depth-wise convolution). */
        public Builder optGroups(int g) {
            groups = g;
            return this;
        }

        /** Whether the layer has a bias (default true, as in PyTorch). */
        public Builder optBias(boolean b) {
            bias = b;
            return this;
        }

        /** Validates and builds. */
        public Conv2dLayer build() {
            if (inChannels <= 0 || outChannels <= 0) {
                throw new IllegalArgumentException("Conv2d needs positive in and out channels");
            }
            if (kernel == null || kernel[0] <= 0 || kernel[1] <= 0) {
                throw new IllegalArgumentException("Conv2d needs a positive kernel size");
            }
            if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
                throw new IllegalArgumentException("Conv2d channels " + inChannels + "->" + outChannels
                        + " are not divisible by groups " + groups);
            }
            return new Conv2dLayer(this);
        }
    }
}
