package org.salistream.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Bilinear resizing of {@code (B, C, H, W)} maps with exactly the index rules of PyTorch's
 * {@code torch.nn.functional.interpolate(mode='bilinear')} (ATen {@code upsample_bilinear2d}, with
 * {@code area_pixel_compute_scale} and {@code area_pixel_compute_source_index} of {@code UpSample.h}).
 *
 * <p>SALI (Short-term Alignment and Long-term Interaction network, MICCAI 2024) resizes with
 * {@code F.interpolate(scale_factor=8, 32, 16, 0.25, 2)} (default {@code align_corners=False}),
 * {@code nn.Upsample(scale_factor=2, align_corners=False)} in its PCD alignment, {@code align_corners=True}
 * in the NCD decoder, and {@code F.interpolate(gt, scale_factor=1/8, 1/16, 1/32)} in training.
 *
 * <p>Bilinear interpolation is separable: {@code y = A_h · x · A_wᵀ}, where {@code A_h (outH, H)} and
 * {@code A_w (outW, W)} hold at most two non-zero weights per row. The two small matrices are built on the
 * host in double precision (so the index and weight rules are written once, in plain Java, and are exact
 * for float64), then applied with two {@code matMul}s on the input's device and in its dtype. That is
 * exact, fast, and differentiable by DJL's autograd ({@code GradientCollector}) through {@code matMul}.
 * DJL's own {@code NDImageUtils}/{@code interpolation} ignores {@code align_corners}, so it is not used.
 */
public final class Resample {

    private Resample() {}

    /**
     * {@code F.interpolate(x, size=(outH, outW), mode='bilinear', align_corners=alignCorners)}.
     *
     * @param x (B, C, H, W), float32 or float64, on any device
     * @return (B, C, outH, outW), same dtype and device as {@code x}
     */
    public static NDArray bilinear(NDArray x, int outH, int outW, boolean alignCorners) {
        long[] s = checkInput(x);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(
                    "bilinear: output size must be positive, got " + outH + "x" + outW + " for input " + x.getShape());
        }
        double[] ah = interpolationMatrix((int) s[2], outH, alignCorners, 0.0);
        double[] aw = interpolationMatrix((int) s[3], outW, alignCorners, 0.0);
        return apply(x, ah, outH, aw, outW);
    }

    /**
     * {@code F.interpolate(x, scale_factor=(scaleH, scaleW), mode='bilinear', align_corners=alignCorners)}
     * with {@code recompute_scale_factor=None}: the output size is {@code floor(in * scale)}, and with
     * {@code align_corners=False} the source coordinate uses {@code 1/scale} (not {@code in/out}).
     *
     * @param x (B, C, H, W), float32 or float64, on any device
     * @return (B, C, floor(H*scaleH), floor(W*scaleW)), same dtype and device as {@code x}
     */
    public static NDArray bilinearScale(NDArray x, double scaleH, double scaleW, boolean alignCorners) {
        long[] s = checkInput(x);
        if (!(scaleH > 0) || !(scaleW > 0) || Double.isInfinite(scaleH) || Double.isInfinite(scaleW)) {
            throw new IllegalArgumentException(
                    "bilinearScale: scale factors must be positive and finite, got " + scaleH + ", " + scaleW);
        }
        int outH = outputSize(s[2], scaleH);
        int outW = outputSize(s[3], scaleW);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("bilinearScale: input " + x.getShape() + " with scale factors " + scaleH
                    + ", " + scaleW + " gives an empty output " + outH + "x" + outW);
        }
        double[] ah = interpolationMatrix((int) s[2], outH, alignCorners, scaleH);
        double[] aw = interpolationMatrix((int) s[3], outW, alignCorners, scaleW);
        return apply(x, ah, outH, aw, outW);
    }

    /**
     * The output length of the scale-factor form, as {@code F.interpolate} computes it:
     * {@code floor(float(in) * scale)} in double precision.
     */
    public static int outputSize(long in, double scale) {
        return (int) Math.floor((double) in * scale);
    }

    /**
     * The row-major {@code (out, in)} interpolation matrix of one axis: row {@code o} holds the two weights
     * {@code upsample_bilinear2d} gives to the source indices {@code i0} and {@code i1} of output index
     * {@code o}.
     *
     * @param scale the user's scale factor, or 0 for the size form (then {@code in/out} is used)
     */
    public static double[] interpolationMatrix(int in, int out, boolean alignCorners, double scale) {
        double[] a = new double[out * in];
        // area_pixel_compute_scale: align_corners ignores any scale factor.
        double ratio;
        if (alignCorners) {
            ratio = out > 1 ? (double) (in - 1) / (out - 1) : 0.0;
        } else {
            ratio = scale > 0 ? 1.0 / scale : (double) in / out;
        }
        for (int o = 0; o < out; o++) {
            double src;
            if (alignCorners) {
                src = ratio * o;
            } else {
                // area_pixel_compute_source_index (linear, not cubic): clamp negative coordinates to 0.
                src = Math.max(ratio * (o + 0.5) - 0.5, 0.0);
            }
            // guard_index_and_lambda: the low index never passes the last pixel, the weight stays in [0, 1].
            int i0 = (int) Math.min((long) Math.floor(src), in - 1L);
            double l1 = Math.min(Math.max(src - i0, 0.0), 1.0);
            int i1 = i0 + (i0 < in - 1 ? 1 : 0);
            a[o * in + i0] += 1.0 - l1;
            a[o * in + i1] += l1;
        }
        return a;
    }

    private static NDArray apply(NDArray x, double[] ah, int outH, double[] aw, int outW) {
        long[] s = x.getShape().getShape();
        int h = (int) s[2];
        int w = (int) s[3];
        DataType dt = x.getDataType();
        double[] awT = transpose(aw, outW, w);
        // Helper matrices live with the input: its manager, its device, its dtype.
        try (NDArray mh = DeviceArrays.constant(x, ah, new Shape(outH, h)); // (outH, H)
                NDArray mwT = DeviceArrays.constant(x, awT, new Shape(w, outW))) { // (W, outW)
            // Apply the cheaper axis first; both orders give the same result up to rounding.
            long costWFirst = (long) h * w * outW + (long) outH * h * outW;
            long costHFirst = (long) outH * h * w + (long) outH * w * outW;
            NDArray y;
            if (costWFirst <= costHFirst) {
                try (NDArray t = x.matMul(mwT)) { // (B, C, H, outW)
                    y = mh.matMul(t); // (B, C, outH, outW)
                }
            } else {
                try (NDArray t = mh.matMul(x)) { // (B, C, outH, W)
                    y = t.matMul(mwT); // (B, C, outH, outW)
                }
            }
            if (y.getDataType() != dt) {
                throw new IllegalStateException("bilinear: dtype changed from " + dt + " to " + y.getDataType());
            }
            return y;
        }
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    private static long[] checkInput(NDArray x) {
        long[] s = x.getShape().getShape();
        if (s.length != 4) {
            throw new IllegalArgumentException("bilinear: input must be (B, C, H, W), got shape " + Arrays.toString(s));
        }
        DataType dt = x.getDataType();
        if (dt != DataType.FLOAT32 && dt != DataType.FLOAT64) {
            throw new IllegalArgumentException("bilinear: input must be float32 or float64, got " + dt);
        }
        if (s[2] <= 0 || s[3] <= 0) {
            throw new IllegalArgumentException("bilinear: input has an empty spatial size " + Arrays.toString(s));
        }
        return s;
    }
}
