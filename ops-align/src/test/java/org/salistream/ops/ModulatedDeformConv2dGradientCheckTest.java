package org.salistream.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.salistream.ops.testing.NdTesting;

/**
 * Finite-difference checks of the autograd gradients of {@link ModulatedDeformConv2d} in float64: central
 * differences of {@code sum(y * gy)} with step 1e-6 against the gradient the {@code GradientCollector}
 * gives, for input, offset, mask, weight and bias.
 *
 * <p>The bound, {@code 1e-6 * max(1, max|gradient|)}, rests on the differences' own error: the loss's
 * float64 rounding (~1e-15 of it) over the {@code 2 * EPS} step gives ~1e-9, and the truncation error of a
 * piecewise-bilinear function is O(EPS) where a probe straddles a sample's integer coordinate. Measured
 * worst: 7.7e-10 (AMD EPYC, libtorch at 1 and 2 threads), a margin of over 1000; a wrong derivative rule
 * is off by O(1).
 */
@Tag("float-parity")
class ModulatedDeformConv2dGradientCheckTest {

    private static final double EPS = 1e-6;
    private static final int PROBES = 40;

    @Test
    void autogradMatchesCentralDifferencesForEveryArgument() {
        DeformConvProblem p = new DeformConvProblem(
                        1,
                        4,
                        5,
                        6,
                        3,
                        3,
                        3,
                        DeformConvOptions.builder()
                                .padding(1)
                                .deformableGroups(2)
                                .build())
                .randomize(new Random(11), 1.5, true, true);
        check(p, new Random(12));
    }

    @Test
    void autogradMatchesCentralDifferencesWithStrideAndDilation() {
        DeformConvProblem p = new DeformConvProblem(
                        1,
                        2,
                        7,
                        6,
                        2,
                        3,
                        3,
                        DeformConvOptions.builder()
                                .stride(2)
                                .padding(2)
                                .dilation(2)
                                .build())
                .randomize(new Random(13), 2.5, true, true);
        check(p, new Random(14));
    }

    private static void check(DeformConvProblem p, Random pick) {
        DeformConvProblem.Run analytic = p.runDjl(DataType.FLOAT64);
        double[][] args = {p.x, p.offset, p.mask, p.weight, p.bias};
        String[] names = {"input", "offset", "mask", "weight", "bias"};
        for (int a = 0; a < args.length; a++) {
            double[] arg = args[a];
            double[] grad = analytic.get(a);
            double scale = NdTesting.maxAbs(grad);
            assertTrue(scale > 1e-3, names[a] + ": gradient is (nearly) zero everywhere, the check would be empty");
            double worst = 0;
            for (int n = 0; n < Math.min(PROBES, arg.length); n++) {
                int i = arg.length <= PROBES ? n : pick.nextInt(arg.length);
                double keep = arg[i];
                arg[i] = keep + EPS;
                double plus = loss(p);
                arg[i] = keep - EPS;
                double minus = loss(p);
                arg[i] = keep;
                double numeric = (plus - minus) / (2 * EPS);
                worst = Math.max(worst, Math.abs(numeric - grad[i]) / Math.max(1, scale));
                assertTrue(
                        Math.abs(numeric - grad[i]) <= 1e-6 * Math.max(1, scale),
                        names[a] + "[" + i + "]: autograd " + grad[i] + " but finite difference " + numeric);
            }
            if (Boolean.getBoolean("sali.parity.verbose")) {
                System.out.printf(
                        "  parity finite differences of %s max |diff| %.3g = %.3g of tolerance 1e-06%n",
                        names[a], worst, worst / 1e-6);
            }
        }
    }

    private static double loss(DeformConvProblem p) {
        double[] y = p.forwardDjl(DataType.FLOAT64);
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * p.gy[i];
        }
        return s;
    }
}
