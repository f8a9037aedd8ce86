package org.salistream.model.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.salistream.model.image.RgbImage;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ModelConfig;
import org.salistream.model.stage.NeighborMode;
import org.salistream.model.stage.ShortTermWindow;
import org.salistream.model.weights.SaliModelLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali bench model}: what encoding each frame once saves. For each backbone, one clip of synthetic
 * frames at the model size goes through
 * <ol>
 *   <li>the streaming stage loop ({@link org.salistream.model.stage.ProcedureRunner}'s: encode each frame
 *       once, pair it through a {@link ShortTermWindow}, segment), and</li>
 *   <li>the naive loop of the published {@code test_video.py} / {@code val_longshort}: for every frame,
 *       encode the frame and its neighbour (two encoder passes), then segment.</li>
 * </ol>
 * The two loops run in lockstep, frame by frame, so that a busy spell on the machine slows both alike.
 * Per frame it times the encoder passes ("encode") and everything else ("rest": memory branch and read,
 * PCD alignment, non-local fusion, decoder, memory add), and prints the median and 90th percentile in ms,
 * the ratio naive/streaming, and the memory bank's size after the clip. Untrained weights: the time of a
 * forward pass does not depend on the weight values. Both loops must give the same logits (checked).
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Time SALI's streaming stage loop (one encode per frame) against the published loop"
                + " (two encodes per frame), per backbone, on CPU threads or the default device.")
public final class ModelBenchCommand implements Callable<Integer> {

    /** DJL's PyTorch engine reads these when it loads. */
    static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    @Spec
    CommandSpec spec;

    @Option(names = "--backbones", split = ",", defaultValue = "pvt_v2_b0,pvt_v2_b5",
            description = "Comma-separated encoders (default: ${DEFAULT-VALUE}).")
    List<String> backbones;

    @Option(names = "--size", defaultValue = "352", description = "Model input size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--threads", defaultValue = "2",
            description = "Intra- and inter-op threads of the PyTorch engine; 0 keeps the engine's defaults"
                    + " (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--frames", defaultValue = "20", description = "Frames per timed clip (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--warmup", defaultValue = "3",
            description = "Frames of an untimed clip run through both loops first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--profile",
            description = "Instead of the two loops: time each block of the streaming loop and count its tensor"
                    + " operations and FLOPs (libtorch's profiler, one extra frame).")
    boolean profile;

    @Option(names = "--bank-frames", defaultValue = "0",
            description = "With --profile: fill the memory bank with this many frames first and let the timed"
                    + " frames only read it (0: the clip's own schedule; the published bank holds up to 35)"
                    + " (default: ${DEFAULT-VALUE}).")
    int bankFrames;

    /** Runs the benchmark alone: {@code java -cp ... org.salistream.model.cli.ModelBenchCommand --help}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ModelBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        return CommandErrors.run("sali bench model", spec.commandLine().getErr(), () -> bench(out));
    }

    private int bench(PrintWriter out) {
        if (frames < 2 || warmup < 0 || threads < 0 || bankFrames < 0 || backbones.isEmpty()) {
            throw new IllegalArgumentException("--frames must be >= 2, --warmup, --threads and --bank-frames >= 0,"
                    + " and --backbones must name at least one encoder");
        }
        List<ModelConfig> configs = new ArrayList<>();
        for (String b : backbones) {
            configs.add(ModelConfig.published().withBackbone(PvtV2Config.named(b)).withSize(size)
                    .withNeighbor(NeighborMode.NEXT));
        }
        // Before anything touches the engine: the properties only count when it loads.
        if (threads > 0) {
            System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
            System.setProperty(INTEROP_PROPERTY, Integer.toString(threads));
        }
        Engine engine = Engine.getInstance();
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            // The engine loaded earlier (another command in this JVM); intra-op threads can still change.
            JniUtils.setNumThreads(threads);
        }
        out.printf(Locale.ROOT, "sali bench model: %s %s on %s, intra-op threads %d, inter-op threads %d%n",
                engine.getEngineName(), engine.getVersion(), engine.defaultDevice(), JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads());
        out.printf(Locale.ROOT, "UNTRAINED weights (random; a forward pass takes as long with any values),"
                + " %dx%d synthetic frames, %d timed frames per clip after a %d-frame warm-up clip,"
                + " memory: %s%n", size, size, frames, warmup, configs.get(0).toString().replaceFirst("^\\S+ ", ""));
        out.flush();
        List<RgbImage> clip = ClipFrames.synthetic(frames, size, 17);
        List<RgbImage> warm = ClipFrames.synthetic(Math.max(warmup, 1), size, 3);
        List<String> table = new ArrayList<>();
        for (ModelConfig c : configs) {
            out.printf("%s: loading untrained weights...%n", c.backbone().name());
            out.flush();
            try (DjlSaliStages stages = SaliModelLoader.untrained(c)) {
                if (warmup > 0) {
                    BenchLoops.lockstep(stages, warm, i -> { });
                }
                if (profile) {
                    ModelProfile.print(out, ModelProfile.run(stages, clip, bankFrames), size);
                    continue;
                }
                String name = c.backbone().name();
                BenchLoops.LoopTimes[] both = BenchLoops.lockstep(stages, clip, i -> {
                    if ((i + 1) % 5 == 0) {
                        out.printf("%s: %d/%d frames through both loops%n", name, i + 1, frames);
                        out.flush();
                    }
                });
                report(out, c, both[0], both[1], table);
                // Other processes on the machine show up as outliers (p90); the load says whether there were any.
                out.printf(Locale.ROOT, "%s: system load average %.2f on %d cores%n", c.backbone().name(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        Runtime.getRuntime().availableProcessors());
            }
        }
        if (table.isEmpty()) {
            return 0;
        }
        out.println();
        out.println("| backbone | loop | encode ms (median / p90) | rest ms (median / p90) | total ms (median / p90)"
                + " | clip ms per frame | naive / streaming | memory bank after the clip |");
        out.println("|---|---|---|---|---|---|---|---|");
        table.forEach(out::println);
        out.flush();
        return 0;
    }

    private static void report(PrintWriter out, ModelConfig c, BenchLoops.LoopTimes s, BenchLoops.LoopTimes n,
            List<String> table) {
        double agree = BenchLoops.maxDiff(s.logits(), n.logits());
        double ratio = n.total().median() / s.total().median();
        double clipRatio = n.wallMs() / s.wallMs();
        int held = s.memory().frames();
        String bank = String.format(Locale.ROOT, "%d bytes (%d frame%s)", s.memory().byteSize(), held,
                held == 1 ? "" : "s");
        out.printf(Locale.ROOT, "%s  streaming: encode %s, rest %s, total %s ms; naive: encode %s, rest %s, total %s"
                        + " ms; naive/streaming %.2fx (median total), %.2fx (clip); bank %s; loops' logits agree"
                        + " to %.2g%n", c.backbone().name(), s.encode().format(), s.rest().format(),
                s.total().format(), n.encode().format(), n.rest().format(), n.total().format(), ratio, clipRatio,
                bank, agree);
        out.flush();
        table.add(String.format(Locale.ROOT, "| %s | streaming (encode once) | %s | %s | %s | %.1f | | %s |",
                c.backbone().name(), s.encode().format(), s.rest().format(), s.total().format(),
                s.wallMs() / s.count(), bank));
        table.add(String.format(Locale.ROOT, "| %s | naive (two encodes) | %s | %s | %s | %.1f | %.2fx | %s |",
                c.backbone().name(), n.encode().format(), n.rest().format(), n.total().format(),
                n.wallMs() / n.count(), ratio, bank));
    }

    /** Synthetic frames: a bright blob drifting over a colour gradient, with noise. */
    static final class ClipFrames {

        private ClipFrames() {
        }

        static List<RgbImage> synthetic(int count, int size, long seed) {
            Random r = new Random(seed);
            List<RgbImage> out = new ArrayList<>(count);
            double cx = size * 0.4;
            double cy = size * 0.5;
            for (int f = 0; f < count; f++) {
                cx += r.nextGaussian() * 3;
                cy += r.nextGaussian() * 3;
                byte[] rgb = new byte[3 * size * size];
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double d = Math.hypot(x - cx, y - cy) / size;
                        int o = 3 * (y * size + x);
                        rgb[o] = (byte) clamp(210 - 160 * d + r.nextGaussian() * 6);
                        rgb[o + 1] = (byte) clamp(80 + 90.0 * y / size + r.nextGaussian() * 6);
                        rgb[o + 2] = (byte) clamp(60 + 70.0 * x / size + r.nextGaussian() * 6);
                    }
                }
                out.add(new RgbImage(size, size, rgb));
            }
            return out;
        }

        private static int clamp(double v) {
            return (int) Math.max(0, Math.min(255, Math.round(v)));
        }
    }
}
