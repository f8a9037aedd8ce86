package org.salistream.ops;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.salistream.ops.reference.DeformConvReference;
import org.salistream.ops.testing.NdTesting;

/**
 * One deformable-convolution problem for tests: geometry plus host values of input, offset, mask, weight,
 * bias and an upstream gradient, runnable through the DJL op (with autograd) and through the Java reference.
 */
final class DeformConvProblem {

    final int b;
    final int c;
    final int h;
    final int w;
    final int o;
    final int kh;
    final int kw;
    final DeformConvOptions options;
    final int ho;
    final int wo;
    double[] x;
    double[] offset;
    double[] mask; // null: no mask
    double[] weight;
    double[] bias; // null: no bias
    double[] gy;

    /** The output and gradients of one run; null entries where an argument was absent. */
    record Run(double[] y, double[] gx, double[] goffset, double[] gmask, double[] gweight, double[] gbias) {
        double[] get(int i) {
            return new double[][] {gx, goffset, gmask, gweight, gbias}[i];
        }
    }

    DeformConvProblem(int b, int c, int h, int w, int o, int kh, int kw, DeformConvOptions options) {
        this.b = b;
        this.c = c;
        this.h = h;
        this.w = w;
        this.o = o;
        this.kh = kh;
        this.kw = kw;
        this.options = options;
        this.ho = (int) options.outputLength(0, h, kh);
        this.wo = (int) options.outputLength(1, w, kw);
    }

    int groups() {
        return options.deformableGroups();
    }

    long[] xShape() {
        return new long[] {b, c, h, w};
    }

    long[] offsetShape() {
        return new long[] {b, 2L * groups() * kh * kw, ho, wo};
    }

    long[] maskShape() {
        return new long[] {b, (long) groups() * kh * kw, ho, wo};
    }

    long[] weightShape() {
        return new long[] {o, c, kh, kw};
    }

    long[] yShape() {
        return new long[] {b, o, ho, wo};
    }

    /** Fills every array with random values; offsets uniform in {@code [-offsetRange, offsetRange)}. */
    DeformConvProblem randomize(Random rnd, double offsetRange, boolean withMask, boolean withBias) {
        x = NdTesting.uniform(rnd, b * c * h * w, -1, 1);
        offset = NdTesting.uniform(rnd, (int) (b * 2L * groups() * kh * kw * ho * wo), -offsetRange, offsetRange);
        mask = withMask ? NdTesting.uniform(rnd, b * groups() * kh * kw * ho * wo, 0, 1) : null;
        weight = NdTesting.uniform(rnd, o * c * kh * kw, -0.5, 0.5);
        bias = withBias ? NdTesting.uniform(rnd, o, -1, 1) : null;
        gy = NdTesting.uniform(rnd, b * o * ho * wo, -1, 1);
        return this;
    }

    DeformConvReference reference() {
        return new DeformConvReference(
                b, c, h, w, o, kh, kw, options.stride(), options.padding(), options.dilation(), groups());
    }

    /** The Java reference: output and gradients of {@code sum(y * gy)}. */
    Run runReference() {
        DeformConvReference ref = reference();
        double[] y = ref.forward(x, offset, mask, weight, bias);
        DeformConvReference.Gradients g = ref.backward(x, offset, mask, weight, bias, gy);
        return new Run(y, g.input(), g.offset(), g.mask(), g.weight(), g.bias());
    }

    /** The DJL op forward only. */
    double[] forwardDjl(DataType dt) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] in = arrays(m, dt);
            return NdTesting.values(ModulatedDeformConv2d.forward(in[0], in[1], in[2], in[3], in[4], options));
        }
    }

    /** The inference path ({@link ModulatedDeformConv2d#forwardInference}), forward only. */
    double[] forwardInference(DataType dt) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] in = arrays(m, dt);
            NDArray y = ModulatedDeformConv2d.forwardInference(in[0], in[1], in[2], in[3], in[4], options);
            NdTesting.assertShape(yShape(), y);
            return NdTesting.values(y);
        }
    }

    /** The DJL op under a GradientCollector: output and gradients of {@code sum(y * gy)}. */
    Run runDjl(DataType dt) {
        return runDjl(dt, false);
    }

    /**
     * The DJL op under a GradientCollector.
     *
     * @param churn collect garbage and reuse native memory between forward and backward
     */
    Run runDjl(DataType dt, boolean churn) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] in = arrays(m, dt);
            for (NDArray a : in) {
                if (a != null) {
                    a.setRequiresGradient(true);
                }
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = ModulatedDeformConv2d.forward(in[0], in[1], in[2], in[3], in[4], options);
                NdTesting.assertShape(yShape(), y);
                NDArray loss = y.mul(NdTesting.toNd(m, gy, yShape(), dt)).sum();
                if (churn) {
                    NdTesting.churnNativeMemory();
                }
                gc.backward(loss);
                double[][] g = new double[5][];
                for (int i = 0; i < 5; i++) {
                    g[i] = in[i] == null ? null : NdTesting.values(in[i].getGradient());
                }
                return new Run(NdTesting.values(y), g[0], g[1], g[2], g[3], g[4]);
            }
        }
    }

    private NDArray[] arrays(NDManager m, DataType dt) {
        return new NDArray[] {
            NdTesting.toNd(m, x, xShape(), dt),
            NdTesting.toNd(m, offset, offsetShape(), dt),
            mask == null ? null : NdTesting.toNd(m, mask, maskShape(), dt),
            NdTesting.toNd(m, weight, weightShape(), dt),
            bias == null ? null : NdTesting.toNd(m, bias, new long[] {o}, dt),
        };
    }
}
