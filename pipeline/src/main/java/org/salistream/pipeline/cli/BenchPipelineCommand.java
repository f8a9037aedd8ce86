package org.salistream.pipeline.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.salistream.datasets.RecordedFrame;
import org.salistream.datasets.RecordedProcedure;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.FramePolicy;
import org.salistream.model.stage.SaliStages;
import org.salistream.model.stage.SegmentRequest;
import org.salistream.pipeline.demo.DemoReport;
import org.salistream.pipeline.demo.LocalPipeline;
import org.salistream.pipeline.demo.ResultReader;
import org.salistream.pipeline.job.ModelStages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sali bench pipeline}: end-to-end throughput and latency of the whole system (broker, job, model)
 * for several numbers of concurrent procedures, and the pipeline's own cost per frame: the end-to-end time
 * per frame minus the model's time per frame for the same frames and batch sizes, measured in the same run.
 * Each level starts with a short unmeasured procedure (the source's first fetch, the first checkpoint); prints a
 * table and one JSON line per concurrency level.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "End-to-end fps and latency for 1, 4 and 8 concurrent procedures, and the pipeline's overhead.")
public final class BenchPipelineCommand implements Callable<Integer> {

    /** The unmeasured procedure each level starts with: its case number (far from the measured ones) and length. */
    private static final int WARM_UP_CASE = 900;

    private static final int WARM_UP_FRAMES = 3;

    @Option(
            names = "--procedures",
            split = ",",
            defaultValue = "1,4,8",
            description = "Concurrency levels (default: ${DEFAULT-VALUE}).")
    List<Integer> levels;

    @Option(names = "--frames", defaultValue = "12", description = "Frames per procedure (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--backbone",
            defaultValue = "pvt_v2_b0",
            description = "Encoder (default: ${DEFAULT-VALUE}, the demo's).")
    String backbone;

    @Option(names = "--size", defaultValue = "352", description = "Model size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--rate",
            defaultValue = "max",
            description = "Replay pacing per procedure (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(names = "--work", defaultValue = "bench-out", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
    Path work;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(work);
        int max = levels.stream().mapToInt(Integer::intValue).max().orElse(1);
        System.err.printf(
                Locale.ROOT,
                "sali bench pipeline: %s@%d, untrained weights, %d frames per procedure, rate %s%n",
                backbone,
                size,
                frames,
                rate);
        List<String> rows = new ArrayList<>();
        List<String> json = new ArrayList<>();
        rows.add(String.format(
                Locale.ROOT,
                "%-10s %7s %9s %10s %10s %14s %16s",
                "procedures",
                "frames",
                "fps",
                "p50 ms",
                "p99 ms",
                "model ms/frame",
                "overhead ms/frame"));
        long seed = 1;
        for (int k : levels) {
            Map<String, RecordedProcedure> recs =
                    LocalPipeline.synthesise(work.resolve("level-" + k), k, frames, seed++, true);
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("model.backbone", backbone);
            keys.put("model.size", Integer.toString(size));
            keys.put("batch.max-size", Integer.toString(Math.min(k, max)));
            keys.put("checkpoint.interval", "1s");
            keys.put("job.name", "SALI bench " + k);
            long t0 = System.nanoTime();
            List<Double> latency = new ArrayList<>();
            long sent;
            double wall;
            // A short procedure first, not measured: the source's first fetch, the first checkpoint and the
            // consumer's start land on it, not on the measured frames.
            Map<String, RecordedProcedure> warm = LocalPipeline.synthesise(
                    work.resolve("level-" + k + "-warm-up"), 1, WARM_UP_FRAMES, seed + 1000, true, WARM_UP_CASE);
            try (LocalPipeline local = LocalPipeline.start(keys);
                    ResultReader reader =
                            new ResultReader(local.bootstrap(), local.config().topics())) {
                System.err.printf(
                        Locale.ROOT,
                        "  %d procedures: job started in %.1f s, warming up%n",
                        k,
                        (System.nanoTime() - t0) / 1e9);
                long warmSent = local.replayAll(warm, "max", reader, true);
                LocalPipeline.awaitResults(reader, warm, warmSent, Duration.ofMinutes(20), true);
                System.err.printf(Locale.ROOT, "  %d procedures: replaying%n", k);
                sent = local.replayAll(recs, rate, reader, true);
                LocalPipeline.awaitResults(reader, recs, sent, Duration.ofMinutes(20), true);
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                for (ResultReader.SeenMask s : reader.masks()) {
                    if (!recs.containsKey(s.mask().procedureId())) {
                        continue;
                    }
                    latency.add(s.mask().latencyMillis());
                    first = Math.min(first, s.mask().captureMicros());
                    last = Math.max(last, s.mask().emitMicros());
                }
                wall = (last - first) / 1e6;
                double model = modelMillisPerFrame(local, recs, Math.min(k, max));
                double perFrame = wall * 1000 / sent;
                double p50 = DemoReport.percentile(latency, 50);
                double p99 = DemoReport.percentile(latency, 99);
                rows.add(String.format(
                        Locale.ROOT,
                        "%-10d %7d %9.2f %10.0f %10.0f %14.1f %16.1f",
                        k,
                        sent,
                        sent / wall,
                        p50,
                        p99,
                        model,
                        perFrame - model));
                json.add(String.format(
                        Locale.ROOT,
                        "{\"bench\":\"pipeline\",\"backbone\":\"%s\",\"size\":%d,"
                                + "\"procedures\":%d,\"frames\":%d,\"fps\":%.3f,\"latency_p50_ms\":%.1f,\"latency_p99_ms\":%.1f,"
                                + "\"model_ms_per_frame\":%.2f,\"overhead_ms_per_frame\":%.2f,\"load\":%.2f}",
                        backbone,
                        size,
                        k,
                        sent,
                        sent / wall,
                        p50,
                        p99,
                        model,
                        perFrame - model,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
                System.err.println("  " + rows.get(rows.size() - 1));
            }
        }
        System.out.println("sali bench pipeline (" + Runtime.getRuntime().availableProcessors() + " cores, " + backbone
                + "@" + size + ", frames replayed at " + rate + ")");
        rows.forEach(System.out::println);
        json.forEach(System.out::println);
        return 0;
    }

    /** The model's time per frame on the same frames in batches of {@code batch}, after the job stopped using the CPU. */
    private static double modelMillisPerFrame(LocalPipeline local, Map<String, RecordedProcedure> recs, int batch)
            throws Exception {
        List<List<RgbImage>> perProc = new ArrayList<>();
        for (RecordedProcedure r : recs.values()) {
            List<RgbImage> frames = new ArrayList<>();
            try (Stream<RecordedFrame> fs = r.frames()) {
                for (RecordedFrame f : (Iterable<RecordedFrame>) fs::iterator) {
                    frames.add(FrameDecoder.decode(f.encoded(), f.name()));
                }
            }
            perProc.add(frames);
        }
        try (SaliStages stages = new ModelStages().open(local.config())) {
            long t0 = System.nanoTime();
            int n = 0;
            for (int from = 0; from < perProc.size(); from += batch) {
                List<List<RgbImage>> group = perProc.subList(from, Math.min(perProc.size(), from + batch));
                List<MemoryState> mem = new ArrayList<>();
                group.forEach(g -> mem.add(MemoryState.empty()));
                int len = group.stream().mapToInt(List::size).max().orElse(0);
                List<FrameFeatures> prev = null;
                for (int i = 0; i < len; i++) {
                    List<RgbImage> at = new ArrayList<>();
                    for (List<RgbImage> g : group) {
                        at.add(g.get(Math.min(i, g.size() - 1)));
                    }
                    List<FrameFeatures> feats = stages.encode(at);
                    List<SegmentRequest> reqs = new ArrayList<>();
                    for (int j = 0; j < group.size(); j++) {
                        reqs.add(new SegmentRequest(
                                feats.get(j),
                                prev == null ? feats.get(j) : prev.get(j),
                                mem.get(j),
                                FramePolicy.forOrdinal(i, stages.config().memFreq())));
                    }
                    var res = stages.segment(reqs);
                    for (int j = 0; j < group.size(); j++) {
                        mem.set(j, res.get(j).memory());
                    }
                    prev = feats;
                    n += group.size();
                }
            }
            return (System.nanoTime() - t0) / 1e6 / n;
        }
    }
}
