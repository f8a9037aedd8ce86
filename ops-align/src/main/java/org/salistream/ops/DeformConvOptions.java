package org.salistream.ops;

import java.util.Arrays;

/**
 * The geometry of a modulated deformable convolution: stride, padding and dilation per spatial axis
 * {@code (h, w)}, and the number of deformable groups {@code G} (input channels are split into {@code G}
 * groups that share one offset field and one mask). Convolution groups are always 1, as in SALI's PCD
 * alignment ({@code DCNv2Pack}, a {@code ModulatedDeformConvPack}, of the published code).
 *
 * <p>Immutable; build with {@link #builder()} or {@link #of}.
 */
public final class DeformConvOptions {

    /** Stride 1, padding 0, dilation 1, one deformable group. */
    public static final DeformConvOptions DEFAULT = builder().build();

    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int deformableGroups;

    private DeformConvOptions(int[] stride, int[] padding, int[] dilation, int deformableGroups) {
        this.stride = pair("stride", stride, 1);
        this.padding = pair("padding", padding, 0);
        this.dilation = pair("dilation", dilation, 1);
        if (deformableGroups < 1) {
            throw new IllegalArgumentException("deformable groups must be >= 1, got " + deformableGroups);
        }
        this.deformableGroups = deformableGroups;
    }

    /** Options from {@code int[2]} arrays {@code (h, w)}, as {@code torchvision.ops.deform_conv2d} takes them. */
    public static DeformConvOptions of(int[] stride, int[] padding, int[] dilation, int deformableGroups) {
        return new DeformConvOptions(stride, padding, dilation, deformableGroups);
    }

    /** A builder starting from stride 1, padding 0, dilation 1, one deformable group. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code (strideH, strideW)}, a copy. */
    public int[] stride() {
        return stride.clone();
    }

    /** {@code (padH, padW)}, a copy. */
    public int[] padding() {
        return padding.clone();
    }

    /** {@code (dilationH, dilationW)}, a copy. */
    public int[] dilation() {
        return dilation.clone();
    }

    /** Number of deformable groups {@code G}. */
    public int deformableGroups() {
        return deformableGroups;
    }

    /**
     * The output length along one axis: {@code (in + 2*pad - (dilation*(k-1)+1)) / stride + 1}.
     *
     * @param axis 0 for height, 1 for width
     */
    public long outputLength(int axis, long in, long kernel) {
        return (in + 2L * padding[axis] - ((long) dilation[axis] * (kernel - 1) + 1)) / stride[axis] + 1;
    }

    private static int[] pair(String what, int[] v, int min) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(
                    what + " must hold 2 values (h, w), got " + (v == null ? "null" : Arrays.toString(v)));
        }
        if (v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(what + " values must be >= " + min + ", got " + Arrays.toString(v));
        }
        return v.clone();
    }

    @Override
    public String toString() {
        return "DeformConvOptions[stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding)
                + ", dilation=" + Arrays.toString(dilation) + ", deformableGroups=" + deformableGroups + "]";
    }

    /** Builds {@link DeformConvOptions}. */
    public static final class Builder {
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private int[] dilation = {1, 1};
        private int deformableGroups = 1;

        private Builder() {}

        /** The same stride on both axes. */
        public Builder stride(int s) {
            return stride(s, s);
        }

        /** Stride {@code (h, w)}. */
        public Builder stride(int h, int w) {
            stride = new int[] {h, w};
            return this;
        }

        /** The same zero padding on both axes. */
        public Builder padding(int p) {
            return padding(p, p);
        }

        /** Zero padding {@code (h, w)}. */
        public Builder padding(int h, int w) {
            padding = new int[] {h, w};
            return this;
        }

        /** The same dilation on both axes. */
        public Builder dilation(int d) {
            return dilation(d, d);
        }

        /** Dilation {@code (h, w)}. */
        public Builder dilation(int h, int w) {
            dilation = new int[] {h, w};
            return this;
        }

        /** Number of deformable groups. */
        public Builder deformableGroups(int g) {
            deformableGroups = g;
            return this;
        }

        /** The options; fails with {@link IllegalArgumentException} on out-of-range values. */
        public DeformConvOptions build() {
            return new DeformConvOptions(stride, padding, dilation, deformableGroups);
        }
    }
}
