package org.salistream.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Modulated deformable convolution (DCNv2; Zhu et al., "Deformable ConvNets v2", CVPR 2019, eq. 3):
 * {@code y(p) = Σ_k w_k · x(p + p_k + Δp_k) · Δm_k}, with the semantics of
 * {@code torchvision.ops.deform_conv2d(input, offset, weight, bias, stride, padding, dilation, mask)} and of
 * the published SALI code's {@code modulated_deform_conv} (mmcv/EDVR kernel
 * {@code lib/ops_align/dcn/src/deform_conv_cuda_kernel.cu}), which SALI's PCD alignment uses.
 *
 * <p>Layout: offset {@code (B, 2·G·K, Ho, Wo)} holds {@code (dy, dx)} pairs per deformable group {@code g}
 * and kernel tap {@code k} (row-major over {@code (kh, kw)}): channel {@code 2(g·K+k)} is {@code dy},
 * {@code +1} is {@code dx}; mask {@code (B, G·K, Ho, Wo)}. A sample at {@code (h, w)} is bilinear with zero
 * outside the image: it is zero when {@code h <= -1}, {@code h >= H}, {@code w <= -1} or {@code w >= W}, and
 * corners outside the image contribute zero.
 *
 * <p>DJL has neither a grid-sample nor a deformable convolution, so the op is an im2col built from
 * {@code gather}: the four bilinear corners of every tap of every output position are gathered at once, weighted
 * by their bilinear coefficient times the mask, summed, and contracted with the weight reshaped to
 * {@code (O, C·K)} in one {@code matMul}. Every step is an ordinary differentiable PyTorch op (gather's
 * backward is a scatter-add), so DJL's {@code GradientCollector} gives the gradients of input, offset, mask,
 * weight and bias. Integer corner indices are computed from detached coordinates: like the published
 * kernels, the gradient of a sample position is the derivative of the bilinear weights only.
 *
 * <p>Boundary rule: a sample exactly at {@code h = -1} or {@code w = -1} has value zero and offset gradient
 * zero, as in the published kernel ({@code dmcn_get_coordinate_weight} returns 0 for {@code h <= -1}).
 * torchvision's CPU backward has no such guard and gives that measure-zero case a non-zero offset gradient;
 * the published code is followed. It matters in practice: SALI's {@code DCNv2Pack} starts from zero
 * offsets (its offset conv is zero-initialised), and with padding 1 the border taps then sit exactly on
 * {@code h = -1}. In {@code DCNv2Pack} the offset is {@code cat(o1, o2)} of the offset conv's output, which
 * is already this (dy, dx)-pair layout.
 */
public final class ModulatedDeformConv2d {

    private ModulatedDeformConv2d() {}

    /**
     * The forward pass with {@code int[2]} geometry, in the argument order of the published
     * {@code modulated_deform_conv(input, offset, mask, weight, bias, stride, padding, dilation, 1, G)}.
     *
     * @param input (B, C, H, W), float32 or float64
     * @param offset (B, 2·G·kh·kw, Ho, Wo), (dy, dx) pairs
     * @param mask (B, G·kh·kw, Ho, Wo), or null for an all-ones mask (DCNv1)
     * @param weight (O, C, kh, kw)
     * @param bias (O), or null
     * @return (B, O, Ho, Wo) on the input's device and manager, in its dtype
     */
    public static NDArray forward(
            NDArray input,
            NDArray offset,
            NDArray mask,
            NDArray weight,
            NDArray bias,
            int[] stride,
            int[] padding,
            int[] dilation,
            int deformableGroups) {
        return forward(
                input, offset, mask, weight, bias, DeformConvOptions.of(stride, padding, dilation, deformableGroups));
    }

    /**
     * The forward pass.
     *
     * @param input (B, C, H, W), float32 or float64
     * @param offset (B, 2·G·kh·kw, Ho, Wo), (dy, dx) pairs
     * @param mask (B, G·kh·kw, Ho, Wo), or null for an all-ones mask (DCNv1)
     * @param weight (O, C, kh, kw)
     * @param bias (O), or null
     * @return (B, O, Ho, Wo) on the input's device and manager, in its dtype
     */
    public static NDArray forward(
            NDArray input, NDArray offset, NDArray mask, NDArray weight, NDArray bias, DeformConvOptions options) {
        Geometry g = Geometry.check(input, offset, mask, weight, bias, options);
        NDArray out;
        // The scope closes every intermediate (autograd keeps what it needs inside libtorch).
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray cols = sampleColumns(input, offset, mask, g, options); // (B, C·K, L)
            NDArray w2 = weight.reshape(g.o, g.c * g.k); // (O, C·K)
            NDArray y = w2.matMul(cols); // (B, O, L)
            if (bias != null) {
                y = y.add(bias.reshape(1, g.o, 1)); // (B, O, L)
            }
            out = y.reshape(g.b, g.o, g.ho, g.wo); // (B, O, Ho, Wo)
            NDScope.unregister(out);
        }
        // matMul's result belongs to its first operand's manager, the weight's: hand it to the input's, so
        // that a caller working in a short-lived manager does not leak it into the model's.
        out.attach(input.getManager());
        // Hand the result to an enclosing scope, if any, as if it had been created there.
        NDScope.register(out);
        return out;
    }

    /**
     * The forward pass for inference, in one JNI call: libtorch's {@code grid_sampler} (which DJL does not
     * expose) samples every deformable group at once through the project's TorchScript module
     * ({@link TorchScriptOps}), the mask weights the samples, and one product with the weight contracts them.
     *
     * <p>The values are {@link #forward}'s up to float rounding: the sample positions pass through
     * grid_sampler's normalised coordinates ({@code (2p + 1) / W - 1} and back), which moves them by a few
     * units in the last place of the image size (about 3e-6 pixels at 44 wide in float32), and bilinear
     * sampling is continuous, the border included (zero at h = -1 and h = H). It is not the published
     * backward (the offset gradient at h = -1, the side of an integer position), so training uses
     * {@link #forward}.
     *
     * @return (B, O, Ho, Wo) in the input's manager and dtype
     */
    public static NDArray forwardInference(
            NDArray input, NDArray offset, NDArray mask, NDArray weight, NDArray bias, DeformConvOptions options) {
        Geometry g = Geometry.check(input, offset, mask, weight, bias, options);
        NDManager m = input.getManager();
        try (NDArray ones = mask == null
                        ? m.ones(new Shape(g.b, g.groups * g.k, g.ho, g.wo), input.getDataType(), input.getDevice())
                        : null;
                NDArray zeros = bias == null ? m.zeros(new Shape(g.o), input.getDataType(), input.getDevice()) : null) {
            int[] s = options.stride();
            int[] p = options.padding();
            int[] d = options.dilation();
            return TorchScriptOps.call(
                    "deform_conv2d",
                    input,
                    input,
                    offset,
                    mask == null ? ones : mask,
                    weight,
                    bias == null ? zeros : bias,
                    s[0],
                    s[1],
                    p[0],
                    p[1],
                    d[0],
                    d[1],
                    options.deformableGroups());
        }
    }

    /**
     * The modulated im2col columns: for every input channel and kernel tap, the bilinearly sampled and
     * mask-weighted input at every output position.
     *
     * <p>The input is zero-padded by one pixel, so that every corner of a sample inside {@code -1 < h < H},
     * {@code -1 < w < W} has a valid index and corners outside the image read a zero: no per-corner validity
     * masks are needed. Samples outside that range get weight zero through {@code inside}.
     *
     * @return (B, C·K, L) with L = Ho·Wo, channel-major then tap (the layout of weight.reshape(O, C·K))
     */
    private static NDArray sampleColumns(
            NDArray input, NDArray offset, NDArray mask, Geometry g, DeformConvOptions options) {
        DataType dt = input.getDataType();
        long b = g.b;
        long groups = g.groups;
        long k = g.k;
        long l = g.ho * g.wo;
        long cg = g.c / groups;
        long hp = g.h + 2;
        long wp = g.w + 2;

        // Regular sampling positions p + p_k, separable: rows (K, Ho, 1) and columns (K, 1, Wo).
        double[][] base = basePositions(g, options);
        NDArray baseY = DeviceArrays.constant(input, base[0], new Shape(k, g.ho, 1)); // (K, Ho, 1)
        NDArray baseX = DeviceArrays.constant(input, base[1], new Shape(k, 1, g.wo)); // (K, 1, Wo)

        NDArray off = offset.reshape(b, groups, k, 2, g.ho, g.wo); // (B, G, K, 2, Ho, Wo)
        NDArray py = off.get(":, :, :, 0").add(baseY); // (B, G, K, Ho, Wo)
        NDArray px = off.get(":, :, :, 1").add(baseX); // (B, G, K, Ho, Wo)

        // Integer corners from detached coordinates: floor has no useful derivative.
        NDArray pyd = py.stopGradient();
        NDArray pxd = px.stopGradient();
        NDArray y0 = pyd.floor(); // (B, G, K, Ho, Wo)
        NDArray x0 = pxd.floor(); // (B, G, K, Ho, Wo)
        NDArray ly = py.sub(y0); // (B, G, K, Ho, Wo), differentiable in the offset
        NDArray lx = px.sub(x0); // (B, G, K, Ho, Wo)
        NDArray hy = ly.neg().addi(1); // (B, G, K, Ho, Wo), in place on a fresh array
        NDArray hx = lx.neg().addi(1); // (B, G, K, Ho, Wo)

        // A sample is zero unless -1 < h < H and -1 < w < W (dmcn_im2col_bilinear's guard); this also zeroes
        // its offset gradient, as dmcn_get_coordinate_weight does.
        NDArray inside =
                pyd.gt(-1).logicalAnd(pyd.lt(g.h)).logicalAnd(pxd.gt(-1)).logicalAnd(pxd.lt(g.w));
        NDArray scale = inside.toType(dt, false); // (B, G, K, Ho, Wo)
        if (mask != null) {
            scale = scale.mul(mask.reshape(b, groups, k, g.ho, g.wo)); // (B, G, K, Ho, Wo)
        }

        // Bilinear weights of the corners (y0, x0), (y0, x1), (y1, x0), (y1, x1), times inside * mask.
        NDArray wy =
                NDArrays.stack(new NDList(hy.mul(scale), ly.mul(scale)), 2).expandDims(3); // (B, G, 2, 1, K, Ho, Wo)
        NDArray wx = NDArrays.stack(new NDList(hx, lx), 2).expandDims(2); // (B, G, 1, 2, K, Ho, Wo)
        NDArray weights = wy.mul(wx).reshape(b, groups, 1, 4, k, l); // (B, G, 1, 4, K, L)

        // Flat int64 indices into the padded image, from detached values only (so in-place updates are safe).
        // Outside samples are clamped anywhere valid: their weight is zero.
        NDArray row0 =
                y0.toType(DataType.INT64, false).clip(-1, g.h - 1).addi(1).muli(wp); // (B, G, K, Ho, Wo)
        NDArray col0 = x0.toType(DataType.INT64, false).clip(-1, g.w - 1).addi(1); // (B, G, K, Ho, Wo)
        NDArray rows = NDArrays.stack(new NDList(row0, row0.add(wp)), 2).expandDims(3); // (B, G, 2, 1, K, Ho, Wo)
        NDArray cols = NDArrays.stack(new NDList(col0, col0.add(1)), 2).expandDims(2); // (B, G, 1, 2, K, Ho, Wo)
        NDArray index = rows.add(cols)
                .reshape(b, groups, 1, 4 * k * l)
                .broadcast(b, groups, cg, 4 * k * l); // (B, G, Cg, 4·K·L)

        NDArray padded = input.pad(new Shape(1, 1, 1, 1), 0).reshape(b, groups, cg, hp * wp); // (B, G, Cg, Hp·Wp)
        NDArray corners = padded.gather(index, 3).reshape(b, groups, cg, 4, k, l); // (B, G, Cg, 4, K, L)
        NDArray sampled = corners.mul(weights).sum(new int[] {3}); // (B, G, Cg, K, L)
        return sampled.reshape(b, g.c * k, l); // (B, C·K, L)
    }

    /** Rows {@code ho·sh - ph + i·dh} as (K, Ho) and columns {@code wo·sw - pw + j·dw} as (K, Wo). */
    private static double[][] basePositions(Geometry g, DeformConvOptions o) {
        int[] s = o.stride();
        int[] p = o.padding();
        int[] d = o.dilation();
        double[] by = new double[(int) (g.k * g.ho)];
        double[] bx = new double[(int) (g.k * g.wo)];
        for (int i = 0; i < g.kh; i++) {
            for (int j = 0; j < g.kw; j++) {
                int tap = (int) (i * g.kw + j);
                for (int ho = 0; ho < g.ho; ho++) {
                    by[(int) (tap * g.ho + ho)] = (double) ho * s[0] - p[0] + (double) i * d[0];
                }
                for (int wo = 0; wo < g.wo; wo++) {
                    bx[(int) (tap * g.wo + wo)] = (double) wo * s[1] - p[1] + (double) j * d[1];
                }
            }
        }
        return new double[][] {by, bx};
    }

    /** Checked shapes of one call. */
    static final class Geometry {
        final long b;
        final long c;
        final long h;
        final long w;
        final long o;
        final long kh;
        final long kw;
        final long k;
        final long groups;
        final long ho;
        final long wo;

        private Geometry(long[] xs, long[] ws, long groups, long ho, long wo) {
            this.b = xs[0];
            this.c = xs[1];
            this.h = xs[2];
            this.w = xs[3];
            this.o = ws[0];
            this.kh = ws[2];
            this.kw = ws[3];
            this.k = kh * kw;
            this.groups = groups;
            this.ho = ho;
            this.wo = wo;
        }

        static Geometry check(
                NDArray input, NDArray offset, NDArray mask, NDArray weight, NDArray bias, DeformConvOptions options) {
            if (input == null || offset == null || weight == null || options == null) {
                throw new IllegalArgumentException("deform_conv2d: input, offset, weight and options are required");
            }
            long[] xs = rank4("input (B, C, H, W)", input);
            long[] ws = rank4("weight (O, C, kh, kw)", weight);
            long[] os = rank4("offset (B, 2*G*kh*kw, Ho, Wo)", offset);
            DataType dt = input.getDataType();
            if (dt != DataType.FLOAT32 && dt != DataType.FLOAT64) {
                throw new IllegalArgumentException("deform_conv2d: input must be float32 or float64, got " + dt);
            }
            if (ws[1] != xs[1]) {
                throw new IllegalArgumentException("deform_conv2d: weight " + weight.getShape() + " expects "
                        + ws[1] + " input channels but input " + input.getShape() + " has " + xs[1]
                        + " (convolution groups other than 1 are not supported)");
            }
            long groups = options.deformableGroups();
            if (xs[1] % groups != 0) {
                throw new IllegalArgumentException("deform_conv2d: input channels " + xs[1] + " of input "
                        + input.getShape() + " are not divisible by " + groups + " deformable groups");
            }
            long ho = options.outputLength(0, xs[2], ws[2]);
            long wo = options.outputLength(1, xs[3], ws[3]);
            if (ho <= 0 || wo <= 0) {
                throw new IllegalArgumentException("deform_conv2d: input " + input.getShape() + " with kernel " + ws[2]
                        + "x" + ws[3] + " and " + options + " gives an empty output " + ho + "x" + wo);
            }
            long k = ws[2] * ws[3];
            long[] wantOffset = {xs[0], 2 * groups * k, ho, wo};
            if (!Arrays.equals(os, wantOffset)) {
                throw new IllegalArgumentException("deform_conv2d: offset has shape " + offset.getShape()
                        + " but input " + input.getShape() + ", weight " + weight.getShape() + " and " + groups
                        + " deformable groups need " + new Shape(wantOffset));
            }
            if (mask != null) {
                long[] ms = rank4("mask (B, G*kh*kw, Ho, Wo)", mask);
                long[] wantMask = {xs[0], groups * k, ho, wo};
                if (!Arrays.equals(ms, wantMask)) {
                    throw new IllegalArgumentException("deform_conv2d: mask has shape " + mask.getShape()
                            + " but input " + input.getShape() + ", weight " + weight.getShape() + " and "
                            + groups + " deformable groups need " + new Shape(wantMask));
                }
            }
            if (bias != null && !Arrays.equals(bias.getShape().getShape(), new long[] {ws[0]})) {
                throw new IllegalArgumentException("deform_conv2d: bias has shape " + bias.getShape() + " but weight "
                        + weight.getShape() + " needs (" + ws[0] + ")");
            }
            for (NDArray a : new NDArray[] {offset, mask, weight, bias}) {
                if (a == null) {
                    continue;
                }
                if (a.getDataType() != dt) {
                    throw new IllegalArgumentException("deform_conv2d: all arrays must share the input's dtype " + dt
                            + ", got " + a.getDataType() + " for shape " + a.getShape());
                }
                if (!a.getDevice().equals(input.getDevice())) {
                    throw new IllegalArgumentException("deform_conv2d: all arrays must be on the input's device "
                            + input.getDevice() + ", got " + a.getDevice() + " for shape " + a.getShape());
                }
            }
            return new Geometry(xs, ws, groups, ho, wo);
        }

        private static long[] rank4(String what, NDArray a) {
            long[] s = a.getShape().getShape();
            if (s.length != 4) {
                throw new IllegalArgumentException(
                        "deform_conv2d: " + what + " must have rank 4, got shape " + a.getShape());
            }
            return s;
        }
    }
}
