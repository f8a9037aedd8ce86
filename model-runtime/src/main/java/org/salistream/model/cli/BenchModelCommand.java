package org.salistream.model.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.salistream.model.ModelConfig;
import org.salistream.model.NeighborMode;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.image.RgbImage;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ShortTermWindow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali bench model}: this project's model loops against each other and against the published loop,
 * in one run. For each backbone, one clip of synthetic frames at the model size goes through
 * <ol>
 *   <li>the streaming stage loop ({@link org.salistream.model.stage.ProcedureRunner}'s: encode each frame
 *       once, pair it through a {@link ShortTermWindow}, segment),</li>
 *   <li>the naive loop of the published {@code test_video.py} / {@code val_longshort}: for every frame,
 *       encode the frame and its neighbour (two encoder passes), then segment, and</li>
 *   <li>with {@code --procedures} N > 1, the streaming loop over N procedures batched per call (per-frame
 *       times: each call's time divided by N);</li>
 * </ol>
 * in lockstep, frame by frame, so that a busy spell on the machine slows them alike; with {@code --published}
 * the published loop itself (PyTorch) runs first, in a child process ({@link PublishedLoop}). Per frame it
 * times the encoder passes ("encode") and everything else ("rest": memory branch and read, PCD alignment,
 * non-local fusion, decoder, memory add), and prints the median and 90th percentile in ms, ratios, the
 * memory bank's size, and a JSON line per loop ({@link BenchReport}). Untrained weights: the time of a forward
 * pass does not depend on the weight values. The streaming and naive loops must give the same logits
 * (checked). {@code --profile} prints the per-block profile instead ({@link ModelProfile}).
 */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = "Time SALI's streaming stage loop (one encode per frame) against the published loop"
                + " (two encodes per frame) and the same loop batched over procedures, per backbone, on CPU"
                + " threads or the default device; --profile: where a frame's time goes, block by block.")
public final class BenchModelCommand implements Callable<Integer> {

    /** DJL's PyTorch engine reads these when it loads. */
    static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--backbones",
            split = ",",
            defaultValue = "pvt_v2_b0,pvt_v2_b5",
            description = "Comma-separated encoders (default: ${DEFAULT-VALUE}).")
    List<String> backbones;

    @Option(names = "--size", defaultValue = "352", description = "Model input size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Intra- and inter-op threads of the PyTorch engine; 0 keeps the engine's defaults"
                    + " (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--frames", defaultValue = "20", description = "Frames per timed clip (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--warmup",
            defaultValue = "3",
            description = "Frames of an untimed clip run through both loops first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--procedures",
            defaultValue = "4",
            description = "Procedures of the batched loop (each frame index is one encode and one segment call"
                    + " over all of them, as the pipeline batches); 1 skips it (default: ${DEFAULT-VALUE}).")
    int procedures;

    @Option(
            names = "--published",
            description = "The published SALI code as shared/reference/setup_reference.sh prepares it: its test"
                    + " loop (PyTorch, bench_official.py) is timed in the same run, before this project's loops.")
    Path published;

    @Option(
            names = "--published-tools",
            defaultValue = "../shared/reference",
            description = "The folder of bench_official.py and shim/ (default: ${DEFAULT-VALUE}).")
    Path publishedTools;

    @Option(
            names = "--python",
            defaultValue = "python3",
            description = "The Python 3 with PyTorch and torchvision, for --published (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(
            names = "--profile",
            description = "Instead of the two loops: time each block of the streaming loop and count its tensor"
                    + " operations and FLOPs (libtorch's profiler, one extra frame).")
    boolean profile;

    @Option(
            names = "--bank-frames",
            defaultValue = "0",
            description = "With --profile: fill the memory bank with this many frames first and let the timed"
                    + " frames only read it (0: the clip's own schedule; the published bank holds up to 35)"
                    + " (default: ${DEFAULT-VALUE}).")
    int bankFrames;

    /** Runs the benchmark alone: {@code java -cp ... org.salistream.model.cli.BenchModelCommand --help}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchModelCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        return CommandErrors.run("sali bench model", spec.commandLine().getErr(), () -> bench(out));
    }

    private int bench(PrintWriter out) throws Exception {
        if (frames < 2 || warmup < 0 || threads < 0 || bankFrames < 0 || procedures < 1 || backbones.isEmpty()) {
            throw new IllegalArgumentException("--frames must be >= 2, --warmup, --threads and --bank-frames >= 0,"
                    + " --procedures >= 1, and --backbones must name at least one encoder");
        }
        PublishedLoop reference =
                published == null || profile ? null : new PublishedLoop(python, publishedTools, published);
        List<ModelConfig> configs = new ArrayList<>();
        for (String b : backbones) {
            configs.add(ModelConfig.published()
                    .withBackbone(PvtV2Config.named(b))
                    .withSize(size)
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
        out.printf(
                Locale.ROOT,
                "sali bench model: %s %s on %s, intra-op threads %d, inter-op threads %d%n",
                engine.getEngineName(),
                engine.getVersion(),
                engine.defaultDevice(),
                JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads());
        out.printf(
                Locale.ROOT,
                "UNTRAINED weights (random; a forward pass takes as long with any values),"
                        + " %dx%d synthetic frames, %d timed frames per clip after a %d-frame warm-up clip,"
                        + " memory: %s%n",
                size,
                size,
                frames,
                warmup,
                configs.get(0).toString().replaceFirst("^\\S+ ", ""));
        out.flush();
        List<List<RgbImage>> clips = new ArrayList<>();
        for (int p = 0; p < (profile ? 1 : procedures); p++) {
            clips.add(ClipFrames.synthetic(frames, size, 17 + p));
        }
        List<List<RgbImage>> warm = new ArrayList<>();
        for (int p = 0; p < clips.size(); p++) {
            warm.add(ClipFrames.synthetic(Math.max(warmup, 1), size, 3 + p));
        }
        BenchReport report = new BenchReport(size, threads);
        for (ModelConfig c : configs) {
            String name = c.backbone().name();
            Double publishedMs = null;
            if (reference != null) {
                out.printf("%s: timing the published loop (%d frames, PyTorch in a child process)...%n", name, frames);
                out.flush();
                publishedMs = reference.medianMs(name, size, frames, JniUtils.getNumThreads());
            }
            out.printf("%s: loading untrained weights...%n", name);
            out.flush();
            try (DjlSaliStages stages = SaliModelLoader.untrained(c)) {
                if (warmup > 0) {
                    BenchLoops.lockstep(stages, warm, i -> {});
                }
                if (profile) {
                    ModelProfile.print(out, ModelProfile.run(stages, clips.get(0), bankFrames), size);
                    continue;
                }
                BenchLoops.LoopTimes[] loops = BenchLoops.lockstep(stages, clips, i -> {
                    if ((i + 1) % 5 == 0) {
                        out.printf("%s: %d/%d frames through the loops%n", name, i + 1, frames);
                        out.flush();
                    }
                });
                report.add(out, name, loops, publishedMs);
            }
        }
        report.print(out);
        return 0;
    }

    /** Synthetic frames: a bright blob drifting over a colour gradient, with noise. */
    static final class ClipFrames {

        private ClipFrames() {}

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
