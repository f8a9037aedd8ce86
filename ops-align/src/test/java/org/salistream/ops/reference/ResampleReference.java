package org.salistream.ops.reference;

/**
 * Plain-loop bilinear resize in double precision, written pixel by pixel from ATen's
 * {@code upsample_bilinear2d} CPU kernel ({@code compute_source_index_and_lambda} in {@code UpSample.h}):
 * the reference that the DJL {@code Resample} op is tested against. Used by tests only.
 *
 * <p>Maps are row-major {@code (B, C, H, W)} double arrays.
 */
public final class ResampleReference {

    private final int batch;
    private final int channels;
    private final int inH;
    private final int inW;
    private final int outH;
    private final int outW;
    private final boolean alignCorners;
    private final double scaleH;
    private final double scaleW;

    /**
     * @param scaleH the user's scale factor along H, or 0 for the size form (then in/out is used)
     * @param scaleW likewise along W
     */
    public ResampleReference(
            int batch,
            int channels,
            int inH,
            int inW,
            int outH,
            int outW,
            boolean alignCorners,
            double scaleH,
            double scaleW) {
        this.batch = batch;
        this.channels = channels;
        this.inH = inH;
        this.inW = inW;
        this.outH = outH;
        this.outW = outW;
        this.alignCorners = alignCorners;
        this.scaleH = scaleH;
        this.scaleW = scaleW;
    }

    /** The size form, {@code F.interpolate(size=(outH, outW))}. */
    public static ResampleReference ofSize(int b, int c, int h, int w, int outH, int outW, boolean alignCorners) {
        return new ResampleReference(b, c, h, w, outH, outW, alignCorners, 0, 0);
    }

    /** The scale-factor form, output size {@code floor(in * scale)}. */
    public static ResampleReference ofScale(int b, int c, int h, int w, double sh, double sw, boolean alignCorners) {
        return new ResampleReference(
                b, c, h, w, (int) Math.floor(h * sh), (int) Math.floor(w * sw), alignCorners, sh, sw);
    }

    public int outH() {
        return outH;
    }

    public int outW() {
        return outW;
    }

    /** (B, C, H, W) to (B, C, outH, outW). */
    public double[] forward(double[] x) {
        double[] y = new double[batch * channels * outH * outW];
        for (int bc = 0; bc < batch * channels; bc++) {
            for (int oh = 0; oh < outH; oh++) {
                Tap th = tap(oh, inH, outH, scaleH);
                for (int ow = 0; ow < outW; ow++) {
                    Tap tw = tap(ow, inW, outW, scaleW);
                    int base = bc * inH * inW;
                    double v = th.l0 * (tw.l0 * x[base + th.i0 * inW + tw.i0] + tw.l1 * x[base + th.i0 * inW + tw.i1])
                            + th.l1 * (tw.l0 * x[base + th.i1 * inW + tw.i0] + tw.l1 * x[base + th.i1 * inW + tw.i1]);
                    y[(bc * outH + oh) * outW + ow] = v;
                }
            }
        }
        return y;
    }

    /** The gradient of {@code sum(forward(x) * gy)} with respect to x: (B, C, H, W). */
    public double[] backward(double[] gy) {
        double[] gx = new double[batch * channels * inH * inW];
        for (int bc = 0; bc < batch * channels; bc++) {
            for (int oh = 0; oh < outH; oh++) {
                Tap th = tap(oh, inH, outH, scaleH);
                for (int ow = 0; ow < outW; ow++) {
                    Tap tw = tap(ow, inW, outW, scaleW);
                    double g = gy[(bc * outH + oh) * outW + ow];
                    int base = bc * inH * inW;
                    gx[base + th.i0 * inW + tw.i0] += g * th.l0 * tw.l0;
                    gx[base + th.i0 * inW + tw.i1] += g * th.l0 * tw.l1;
                    gx[base + th.i1 * inW + tw.i0] += g * th.l1 * tw.l0;
                    gx[base + th.i1 * inW + tw.i1] += g * th.l1 * tw.l1;
                }
            }
        }
        return gx;
    }

    /** Two source indices and their weights for one output index. */
    private record Tap(int i0, int i1, double l0, double l1) {}

    private Tap tap(int dst, int in, int out, double scale) {
        double src;
        if (alignCorners) {
            src = out > 1 ? dst * ((double) (in - 1) / (out - 1)) : 0.0;
        } else {
            double ratio = scale > 0 ? 1.0 / scale : (double) in / out;
            src = ratio * (dst + 0.5) - 0.5;
            if (src < 0) {
                src = 0;
            }
        }
        int i0 = Math.min((int) Math.floor(src), in - 1);
        double l1 = Math.min(Math.max(src - i0, 0.0), 1.0);
        int i1 = i0 < in - 1 ? i0 + 1 : i0;
        return new Tap(i0, i1, 1.0 - l1, l1);
    }
}
