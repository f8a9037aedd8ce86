package org.salistream.ops.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.salistream.ops.DeformConvOptions;
import org.salistream.ops.ModulatedDeformConv2d;
import org.salistream.ops.Resample;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali bench ops}: micro-benchmark of the alignment ops at the shapes of SALI's PCD alignment
 * (B=1, C=32, 3x3 kernel, 8 deformable groups at 44x44, 22x22 and 11x11, i.e. 1/8, 1/16, 1/32 of a 352 input)
 * and of the bilinear resizes SALI uses, against a plain {@code Conv2d} of the same shape in the same run.
 * Warm-up calls, then timed calls; prints the median and 90th percentile in milliseconds per call, then one
 * JSON line per case. The DCN runs both ways: the differentiable gather form and the inference path.
 */
@Command(
        name = "ops",
        mixinStandardHelpOptions = true,
        description = "Time ModulatedDeformConv2d and Resample at SALI's shapes against a plain Conv2d.")
public final class BenchOpsCommand implements Callable<Integer> {

    /** DJL's PyTorch engine reads these when it loads; intra-op threads can also change later. */
    static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--iterations",
            defaultValue = "50",
            description = "Timed calls per case (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "10", description = "Untimed calls first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "Intra-op threads of the PyTorch engine; 0 keeps the engine's default.")
    int threads;

    @Option(
            names = "--interop-threads",
            defaultValue = "0",
            description = "Inter-op threads; only takes effect if the engine has not loaded yet. 0: default.")
    int interopThreads;

    @Option(names = "--dtype", defaultValue = "float32", description = "float32 or float64.")
    String dtype;

    @Option(names = "--device", description = "Device, e.g. cpu or gpu(0); default: the engine's default device.")
    String device;

    @Option(names = "--backward", description = "Also time forward+backward (autograd) of the DCN and the conv.")
    boolean backward;

    /** One JSON line per timed case, printed after the table. */
    private final List<String> json = new ArrayList<>();

    /** Runs the benchmark alone: {@code java -cp ... org.salistream.ops.cli.BenchOpsCommand --help}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchOpsCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (iterations < 1 || warmup < 0 || threads < 0 || interopThreads < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--iterations must be >= 1, --warmup, --threads and --interop-threads >= 0");
        }
        DataType dt = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "float32" -> DataType.FLOAT32;
            case "float64" -> DataType.FLOAT64;
            default ->
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--dtype must be float32 or float64, got " + dtype);
        };
        // Properties first: they only count if the engine loads after this point.
        if (threads > 0) {
            System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
        }
        if (interopThreads > 0) {
            System.setProperty(INTEROP_PROPERTY, Integer.toString(interopThreads));
        }
        Engine engine = Engine.getInstance();
        if (threads > 0) {
            // The engine may have loaded earlier (another subcommand); intra-op threads can change at any time.
            JniUtils.setNumThreads(threads);
        }
        Device dev = device == null ? engine.defaultDevice() : Device.fromName(device);
        out.printf(
                Locale.ROOT,
                "engine %s %s, device %s, dtype %s, intra-op threads %d, inter-op threads %d,"
                        + " %d warm-up + %d timed calls per case%n",
                engine.getEngineName(),
                engine.getVersion(),
                dev,
                dt,
                JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads(),
                warmup,
                iterations);
        try (NDManager m = NDManager.newBaseManager(dev)) {
            for (int size : new int[] {44, 22, 11}) {
                benchDeformConv(out, m, dt, size);
            }
            benchResample(out, m, dt);
        }
        json.forEach(out::println);
        out.flush();
        return 0;
    }

    private void benchDeformConv(PrintWriter out, NDManager m, DataType dt, int size) {
        int c = 32;
        int groups = 8;
        DeformConvOptions opt =
                DeformConvOptions.builder().padding(1).deformableGroups(groups).build();
        NDArray x = m.randomNormal(0, 1, new Shape(1, c, size, size), dt); // (B, C, H, W)
        NDArray offset = m.randomNormal(0, 2, new Shape(1, 2 * groups * 9, size, size), dt); // (B, 2GK, H, W)
        NDArray mask = m.randomUniform(0, 1, new Shape(1, groups * 9, size, size), dt); // (B, GK, H, W)
        NDArray weight = m.randomNormal(0, 0.1f, new Shape(c, c, 3, 3), dt); // (O, C, 3, 3)
        NDArray bias = m.randomNormal(0, 0.1f, new Shape(c), dt); // (O)
        String shape = String.format(Locale.ROOT, "1x%dx%dx%d k3 G%d", c, size, size, groups);

        Stats dcn = time(() -> ModulatedDeformConv2d.forward(x, offset, mask, weight, bias, opt));
        Stats conv = time(() ->
                Conv2d.conv2d(x, weight, bias, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow());
        report(out, "dcn forward     " + shape, dcn, conv);
        Stats inference = time(() -> ModulatedDeformConv2d.forwardInference(x, offset, mask, weight, bias, opt));
        report(out, "dcn inference   " + shape, inference, conv);
        if (backward) {
            NDArray[] params = {x, offset, mask, weight, bias};
            Stats dcnB = timeBackward(params, () -> ModulatedDeformConv2d.forward(x, offset, mask, weight, bias, opt));
            Stats convB = timeBackward(
                    new NDArray[] {x, weight, bias},
                    () -> Conv2d.conv2d(x, weight, bias, new Shape(1, 1), new Shape(1, 1))
                            .singletonOrThrow());
            report(out, "dcn fwd+bwd     " + shape, dcnB, convB);
        }
    }

    private void benchResample(PrintWriter out, NDManager m, DataType dt) {
        // SALI: decoder maps to the 352 input (x8, x16, x32), a 0.25 downscale, and x2 in PCD (align_corners
        // False) and NCD (align_corners True) on 32-channel maps.
        Object[][] cases = {
            {"1x1x44x44  x8   ", new long[] {1, 1, 44, 44}, 8.0, false},
            {"1x1x22x22  x16  ", new long[] {1, 1, 22, 22}, 16.0, false},
            {"1x1x11x11  x32  ", new long[] {1, 1, 11, 11}, 32.0, false},
            {"1x1x352x352 x0.25", new long[] {1, 1, 352, 352}, 0.25, false},
            {"1x32x22x22 x2   ", new long[] {1, 32, 22, 22}, 2.0, false},
            {"1x32x22x22 x2 ac", new long[] {1, 32, 22, 22}, 2.0, true},
        };
        for (Object[] c : cases) {
            NDArray x = m.randomNormal(0, 1, new Shape((long[]) c[1]), dt);
            double s = (Double) c[2];
            boolean ac = (Boolean) c[3];
            Stats st = time(() -> Resample.bilinearScale(x, s, s, ac));
            report(out, "resample " + c[0], st, null);
        }
    }

    private Stats time(Supplier<NDArray> op) {
        double[] ms = new double[iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            // The scope closes every array the call creates, so that memory stays flat over the run.
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                long t0 = System.nanoTime();
                NDArray y = op.get();
                sync(y);
                long t1 = System.nanoTime();
                if (i >= warmup) {
                    ms[i - warmup] = (t1 - t0) / 1e6;
                }
            }
        }
        return Stats.of(ms);
    }

    private Stats timeBackward(NDArray[] params, Supplier<NDArray> op) {
        for (NDArray p : params) {
            p.setRequiresGradient(true);
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            try (NDScope scope = new NDScope();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                scope.suppressNotUsedWarning();
                long t0 = System.nanoTime();
                NDArray y = op.get();
                gc.backward(y.sum());
                sync(params[0].getGradient());
                long t1 = System.nanoTime();
                if (i >= warmup) {
                    ms[i - warmup] = (t1 - t0) / 1e6;
                }
            }
        }
        for (NDArray p : params) {
            p.setRequiresGradient(false);
        }
        return Stats.of(ms);
    }

    /** Waits for an asynchronous device by reading one element back; CPU ops are already done. */
    private static void sync(NDArray y) {
        if (!y.getDevice().isGpu()) {
            return;
        }
        try (NDArray one = y.flatten().get(0)) {
            one.toArray();
        }
    }

    private void report(PrintWriter out, String what, Stats s, Stats baseline) {
        json.add(String.format(
                Locale.ROOT,
                "{\"bench\":\"ops\",\"case\":\"%s\",\"dtype\":\"%s\",\"median_ms\":%.4f,"
                        + "\"p90_ms\":%.4f,\"vs_conv2d\":%s}",
                what.trim().replaceAll(" +", " "),
                dtype,
                s.median,
                s.p90,
                baseline == null ? "null" : String.format(Locale.ROOT, "%.2f", s.median / baseline.median)));
        if (baseline == null) {
            out.printf(Locale.ROOT, "%-34s median %8.3f ms  p90 %8.3f ms%n", what, s.median, s.p90);
        } else {
            out.printf(
                    Locale.ROOT,
                    "%-34s median %8.3f ms  p90 %8.3f ms | conv2d median %8.3f ms  p90 %8.3f ms" + " | ratio %5.1fx%n",
                    what,
                    s.median,
                    s.p90,
                    baseline.median,
                    baseline.p90,
                    s.median / baseline.median);
        }
        out.flush();
    }

    /** Median and 90th percentile (nearest rank) of timings in milliseconds. */
    record Stats(double median, double p90) {
        static Stats of(double[] ms) {
            double[] s = ms.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            double p90 = s[(int) Math.ceil(0.9 * n) - 1];
            return new Stats(median, p90);
        }
    }
}
