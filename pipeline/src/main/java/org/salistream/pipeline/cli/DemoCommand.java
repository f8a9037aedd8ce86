package org.salistream.pipeline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.salistream.datasets.RecordedProcedure;
import org.salistream.model.checkpoint.ShippedModel;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.demo.DemoReport;
import org.salistream.pipeline.demo.LocalPipeline;
import org.salistream.pipeline.demo.ResultReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sali demo}: the whole system on this machine with no set-up. Starts a real Kafka broker in this
 * JVM, runs the segmentation job on a local Flink MiniCluster, synthesises colonoscopy procedures and
 * replays them concurrently, reads masks and alerts as a hospital system would (read committed), and
 * writes what a person would look at under {@code --out}.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run the whole pipeline end to end on synthetic procedures (embedded Kafka, local Flink).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "demo-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--procedures",
            defaultValue = "2",
            description = "Concurrent procedures (default: ${DEFAULT-VALUE}).")
    int procedures;

    @Option(names = "--frames", defaultValue = "40", description = "Frames per procedure (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--weights",
            description = "Checkpoint (.pth or native folder), or 'untrained' for random weights;"
                    + " default: $SALI_WEIGHTS, else the shipped model " + ShippedModel.FOLDER + ".")
    Path weights;

    @Option(
            names = "--backbone",
            description = "Encoder when the checkpoint does not say (default: the native"
                    + " checkpoint's, else pvt_v2_b0 for a quick CPU demo).")
    String backbone;

    @Option(
            names = "--size",
            description =
                    "Model size when the checkpoint does not say (default: the native" + " checkpoint's, else 352).")
    Integer size;

    @Option(
            names = "--rate",
            defaultValue = "realtime",
            description = "Replay pacing: realtime, max or Nx (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(names = "--seed", defaultValue = "7", description = "Synthesis seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--timeout",
            defaultValue = "15m",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Duration limit = timeout(); // a bad --timeout fails before anything starts
        PipelineModel model = PipelineModel.resolve(weights(), null, modelKeys()); // a bad model fails first
        System.err.println("sali demo: model: " + model.description());
        Files.createDirectories(out);
        Map<String, String> keys = new LinkedHashMap<>(model.config().asMap());
        keys.put("checkpoint.interval", "1s");
        keys.put("job.name", "SALI demo");
        step("1/5", "synthesising " + procedures + " procedures of " + frames + " frames");
        Map<String, RecordedProcedure> recordings =
                LocalPipeline.synthesise(out.resolve(DemoReport.SPLIT), procedures, frames, seed, false);
        step("2/5", "starting a Kafka broker and the segmentation job in this JVM");
        try (LocalPipeline local = LocalPipeline.start(keys);
                ResultReader reader =
                        new ResultReader(local.bootstrap(), local.config().topics())) {
            System.err.println("      broker at " + local.bootstrap());
            step("3/5", "replaying the procedures concurrently (" + rate + ") while reading masks and alerts");
            long sent = local.replayAll(recordings, rate, reader, false);
            step("4/5", "waiting for the last masks (they become visible at each checkpoint)");
            LocalPipeline.awaitResults(reader, recordings, sent, limit, false);
            step("5/5", "writing overlays, masks and the summary to " + out.toAbsolutePath());
            double wall = (System.nanoTime() - start) / 1e9;
            String summary = new DemoReport(out)
                    .write(recordings, reader.masks(), reader.alerts(), model.description(), sent, wall, rate);
            System.out.println();
            System.out.print(summary);
        }
        return 0;
    }

    /** {@code --timeout} (a bare number, as before, means minutes). */
    private Duration timeout() {
        String t = timeout.trim();
        return PipelineConfig.parseDuration("--timeout", t.matches("\\d+") ? t + "m" : t);
    }

    private static void step(String n, String what) {
        System.err.println("[" + n + "] " + what);
    }

    /** {@code --weights}, else {@code $SALI_WEIGHTS}, else null (the shipped model). */
    private Path weights() {
        if (weights != null) {
            return weights;
        }
        String env = System.getenv("SALI_WEIGHTS");
        return env == null || env.isBlank() ? null : Path.of(env);
    }

    /** The demo's model keys: a B0 at 352 unless the checkpoint or the options say otherwise. */
    private Map<String, String> modelKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        if (backbone != null) {
            keys.put("model.backbone", backbone);
        } else if (ShippedModel.isUntrained(weights())) {
            keys.put("model.backbone", "pvt_v2_b0"); // quick on a CPU
        }
        if (size != null) {
            keys.put("model.size", Integer.toString(size));
        }
        keys.put("batch.max-size", Integer.toString(Math.max(1, procedures)));
        return keys;
    }
}
