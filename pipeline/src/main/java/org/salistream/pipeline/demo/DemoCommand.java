package org.salistream.pipeline.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.salistream.datasets.RecordedProcedure;
import org.salistream.model.weights.CheckpointMetadata;
import org.salistream.model.weights.NativeCheckpoint;
import org.salistream.pipeline.config.PipelineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sali demo}: the whole system on this machine with no set-up. Starts a real Kafka broker in this
 * JVM, runs the segmentation job on a local Flink MiniCluster, synthesises colonoscopy procedures and
 * replays them concurrently, reads masks and alerts as a hospital system would (read committed), and
 * writes what a person would look at under {@code --out}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline end to end on synthetic procedures (embedded Kafka, local Flink).")
public final class DemoCommand implements Callable<Integer> {

    /** Where the trainer writes its best checkpoint; the demo uses it when present. */
    public static final Path TRAINER_BEST = Path.of("checkpoints", "best");

    @Option(names = "--out", defaultValue = "demo-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--procedures", defaultValue = "2", description = "Concurrent procedures (default: ${DEFAULT-VALUE}).")
    int procedures;

    @Option(names = "--frames", defaultValue = "40", description = "Frames per procedure (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--weights", description = "Checkpoint (.pth or native folder); default: $SALI_WEIGHTS, then "
            + "checkpoints/best from the trainer, else untrained weights.")
    Path weights;

    @Option(names = "--backbone", description = "Encoder when the checkpoint does not say (default: pvt_v2_b0 for a quick CPU demo).")
    String backbone;

    @Option(names = "--size", description = "Model size when the checkpoint does not say (default: 352).")
    Integer size;

    @Option(names = "--rate", defaultValue = "realtime", description = "Replay pacing: realtime, max or Nx (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(names = "--seed", defaultValue = "7", description = "Synthesis seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "15m", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Duration limit = timeout(); // a bad --timeout fails before anything starts
        Files.createDirectories(out);
        Map<String, String> keys = modelKeys();
        keys.put("checkpoint.interval", "1s");
        keys.put("job.name", "SALI demo");
        step("1/5", "synthesising " + procedures + " procedures of " + frames + " frames");
        Map<String, RecordedProcedure> recordings = LocalPipeline.synthesise(out.resolve("demo"), procedures, frames,
                seed, false);
        step("2/5", "starting a Kafka broker and the segmentation job in this JVM");
        try (LocalPipeline local = LocalPipeline.start(keys);
                ResultReader reader = new ResultReader(local.bootstrap(), local.config().topics())) {
            System.err.println("      broker at " + local.bootstrap() + ", model " + modelLine(local.config()));
            step("3/5", "replaying the procedures concurrently (" + rate + ") while reading masks and alerts");
            long sent = local.replayAll(recordings, rate, reader, false);
            step("4/5", "waiting for the last masks (they become visible at each checkpoint)");
            LocalPipeline.awaitResults(reader, recordings, sent, limit, false);
            step("5/5", "writing overlays, masks and the summary to " + out.toAbsolutePath());
            double wall = (System.nanoTime() - start) / 1e9;
            String summary = new DemoReport(out).write(recordings, reader.masks(), reader.alerts(),
                    modelLine(local.config()), sent, wall, rate);
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

    private Map<String, String> modelKeys() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        Path w = weights;
        if (w == null && System.getenv("SALI_WEIGHTS") != null) {
            w = Path.of(System.getenv("SALI_WEIGHTS"));
        }
        if (w == null && NativeCheckpoint.isNative(TRAINER_BEST)) {
            w = TRAINER_BEST;
        }
        keys.put("model.backbone", backbone != null ? backbone : "pvt_v2_b0");
        keys.put("model.size", Integer.toString(size != null ? size : 352));
        if (w != null) {
            keys.put("model.weights", w.toString());
            if (NativeCheckpoint.isNative(w)) {
                CheckpointMetadata meta = NativeCheckpoint.readMetadata(NativeCheckpoint.folder(w));
                keys.put("model.backbone", meta.backbone());
                keys.put("model.size", Integer.toString(meta.inputSize()));
            }
            System.err.println("sali demo: using weights " + w);
        } else {
            System.err.println("sali demo: NO TRAINED CHECKPOINT FOUND (--weights, $SALI_WEIGHTS, or checkpoints/best"
                    + " from the trainer). Running with UNTRAINED weights: the pipeline is real, the masks mean nothing.");
        }
        keys.put("batch.max-size", Integer.toString(Math.max(1, procedures)));
        return keys;
    }

    private String modelLine(PipelineConfig config) {
        return config.model() + (config.weights() == null ? " (UNTRAINED weights)" : " weights " + config.weights());
    }
}
