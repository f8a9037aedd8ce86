package org.salistream.ops.reference;

/**
 * Plain-loop modulated deformable convolution (DCNv2) in double precision, forward and backward, written
 * from the published kernels ({@code modulated_deformable_im2col_gpu_kernel},
 * {@code modulated_deformable_col2im_gpu_kernel}, {@code modulated_deformable_col2im_coord_gpu_kernel} and
 * {@code dmcn_get_coordinate_weight} of SALI's {@code lib/ops_align/dcn/src/deform_conv_cuda_kernel.cu}): the
 * reference that the DJL {@code ModulatedDeformConv2d} is tested against. Used by tests only.
 *
 * <p>Arrays are row-major doubles: input (B, C, H, W), offset (B, 2·G·K, Ho, Wo) of (dy, dx) pairs, mask
 * (B, G·K, Ho, Wo), weight (O, C, kh, kw), bias (O) or null.
 */
public final class DeformConvReference {

    private final int b;
    private final int c;
    private final int h;
    private final int w;
    private final int o;
    private final int kh;
    private final int kw;
    private final int[] stride;
    private final int[] pad;
    private final int[] dil;
    private final int groups;
    private final int ho;
    private final int wo;

    /** The gradients of {@code sum(y * gy)}. */
    public record Gradients(double[] input, double[] offset, double[] mask, double[] weight, double[] bias) {}

    public DeformConvReference(
            int b, int c, int h, int w, int o, int kh, int kw, int[] stride, int[] pad, int[] dil, int groups) {
        this.b = b;
        this.c = c;
        this.h = h;
        this.w = w;
        this.o = o;
        this.kh = kh;
        this.kw = kw;
        this.stride = stride.clone();
        this.pad = pad.clone();
        this.dil = dil.clone();
        this.groups = groups;
        this.ho = (h + 2 * pad[0] - (dil[0] * (kh - 1) + 1)) / stride[0] + 1;
        this.wo = (w + 2 * pad[1] - (dil[1] * (kw - 1) + 1)) / stride[1] + 1;
    }

    public int outH() {
        return ho;
    }

    public int outW() {
        return wo;
    }

    /** (B, O, Ho, Wo). */
    public double[] forward(double[] x, double[] offset, double[] mask, double[] weight, double[] bias) {
        double[] col = columns(x, offset, mask);
        int k = kh * kw;
        int l = ho * wo;
        double[] y = new double[b * o * l];
        for (int bi = 0; bi < b; bi++) {
            for (int oi = 0; oi < o; oi++) {
                for (int ck = 0; ck < c * k; ck++) {
                    double wv = weight[oi * c * k + ck];
                    int colBase = (bi * c * k + ck) * l;
                    int yBase = (bi * o + oi) * l;
                    for (int li = 0; li < l; li++) {
                        y[yBase + li] += wv * col[colBase + li];
                    }
                }
                if (bias != null) {
                    for (int li = 0; li < l; li++) {
                        y[(bi * o + oi) * l + li] += bias[oi];
                    }
                }
            }
        }
        return y;
    }

    /** Gradients of {@code sum(forward(...) * gy)} for input, offset, mask, weight and bias. */
    public Gradients backward(double[] x, double[] offset, double[] mask, double[] weight, double[] bias, double[] gy) {
        int k = kh * kw;
        int l = ho * wo;
        int cg = c / groups;
        double[] col = columns(x, offset, mask);
        double[] gWeight = new double[o * c * k];
        double[] gBias = bias == null ? null : new double[o];
        double[] gCol = new double[b * c * k * l];
        for (int bi = 0; bi < b; bi++) {
            for (int oi = 0; oi < o; oi++) {
                int yBase = (bi * o + oi) * l;
                for (int ck = 0; ck < c * k; ck++) {
                    int colBase = (bi * c * k + ck) * l;
                    double wv = weight[oi * c * k + ck];
                    double acc = 0;
                    for (int li = 0; li < l; li++) {
                        acc += gy[yBase + li] * col[colBase + li];
                        gCol[colBase + li] += wv * gy[yBase + li];
                    }
                    gWeight[oi * c * k + ck] += acc;
                }
                if (gBias != null) {
                    for (int li = 0; li < l; li++) {
                        gBias[oi] += gy[yBase + li];
                    }
                }
            }
        }
        double[] gx = new double[x.length];
        double[] gOffset = new double[offset.length];
        double[] gMask = new double[b * groups * k * l];
        for (int bi = 0; bi < b; bi++) {
            for (int ci = 0; ci < c; ci++) {
                int g = ci / cg;
                int im = (bi * c + ci) * h * w;
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int tap = i * kw + j;
                        for (int oh = 0; oh < ho; oh++) {
                            for (int ow = 0; ow < wo; ow++) {
                                int li = oh * wo + ow;
                                int offH = ((bi * groups + g) * 2 * k + 2 * tap) * l + li;
                                int offW = offH + l;
                                int mAt = ((bi * groups + g) * k + tap) * l + li;
                                double m = mask == null ? 1.0 : mask[mAt];
                                double py = oh * stride[0] - pad[0] + i * dil[0] + offset[offH];
                                double px = ow * stride[1] - pad[1] + j * dil[1] + offset[offW];
                                double gc = gCol[((bi * c + ci) * k + tap) * l + li];
                                if (!(py > -1 && px > -1 && py < h && px < w)) {
                                    continue; // the sample and every derivative of it are zero
                                }
                                int y0 = (int) Math.floor(py);
                                int x0 = (int) Math.floor(px);
                                double ly = py - y0;
                                double lx = px - x0;
                                double v00 = at(x, im, y0, x0);
                                double v01 = at(x, im, y0, x0 + 1);
                                double v10 = at(x, im, y0 + 1, x0);
                                double v11 = at(x, im, y0 + 1, x0 + 1);
                                double val = (1 - ly) * (1 - lx) * v00
                                        + (1 - ly) * lx * v01
                                        + ly * (1 - lx) * v10
                                        + ly * lx * v11;
                                gMask[mAt] += gc * val;
                                // dmcn_get_coordinate_weight, bp_dir 0 (h) and 1 (w).
                                double dValDy = (1 - lx) * (v10 - v00) + lx * (v11 - v01);
                                double dValDx = (1 - ly) * (v01 - v00) + ly * (v11 - v10);
                                gOffset[offH] += gc * m * dValDy;
                                gOffset[offW] += gc * m * dValDx;
                                // modulated_deformable_col2im: scatter to the valid corners.
                                add(gx, im, y0, x0, gc * m * (1 - ly) * (1 - lx));
                                add(gx, im, y0, x0 + 1, gc * m * (1 - ly) * lx);
                                add(gx, im, y0 + 1, x0, gc * m * ly * (1 - lx));
                                add(gx, im, y0 + 1, x0 + 1, gc * m * ly * lx);
                            }
                        }
                    }
                }
            }
        }
        return new Gradients(gx, gOffset, mask == null ? null : gMask, gWeight, gBias);
    }

    /** The modulated columns (B, C·K, L): mask times the bilinear sample of each channel and tap. */
    private double[] columns(double[] x, double[] offset, double[] mask) {
        int k = kh * kw;
        int l = ho * wo;
        int cg = c / groups;
        double[] col = new double[b * c * k * l];
        for (int bi = 0; bi < b; bi++) {
            for (int ci = 0; ci < c; ci++) {
                int g = ci / cg;
                int im = (bi * c + ci) * h * w;
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int tap = i * kw + j;
                        for (int oh = 0; oh < ho; oh++) {
                            for (int ow = 0; ow < wo; ow++) {
                                int li = oh * wo + ow;
                                int offH = ((bi * groups + g) * 2 * k + 2 * tap) * l + li;
                                double m = mask == null ? 1.0 : mask[((bi * groups + g) * k + tap) * l + li];
                                double py = oh * stride[0] - pad[0] + i * dil[0] + offset[offH];
                                double px = ow * stride[1] - pad[1] + j * dil[1] + offset[offH + l];
                                col[((bi * c + ci) * k + tap) * l + li] = m * bilinear(x, im, py, px);
                            }
                        }
                    }
                }
            }
        }
        return col;
    }

    /** dmcn_im2col_bilinear behind the guard {@code -1 < h < H, -1 < w < W}. */
    private double bilinear(double[] x, int im, double py, double px) {
        if (!(py > -1 && px > -1 && py < h && px < w)) {
            return 0;
        }
        int y0 = (int) Math.floor(py);
        int x0 = (int) Math.floor(px);
        double ly = py - y0;
        double lx = px - x0;
        return (1 - ly) * (1 - lx) * at(x, im, y0, x0)
                + (1 - ly) * lx * at(x, im, y0, x0 + 1)
                + ly * (1 - lx) * at(x, im, y0 + 1, x0)
                + ly * lx * at(x, im, y0 + 1, x0 + 1);
    }

    private double at(double[] x, int im, int yi, int xi) {
        return yi >= 0 && yi < h && xi >= 0 && xi < w ? x[im + yi * w + xi] : 0;
    }

    private void add(double[] g, int im, int yi, int xi, double v) {
        if (yi >= 0 && yi < h && xi >= 0 && xi < w) {
            g[im + yi * w + xi] += v;
        }
    }
}
