package org.salistream.live.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.salistream.datasets.RecordedFrame;
import org.salistream.datasets.RecordedProcedure;
import org.salistream.datasets.SunSegLayout;
import org.salistream.datasets.synth.SunSegWriter;
import org.salistream.datasets.synth.SynthOptions;
import org.salistream.datasets.synth.SyntheticCase;
import org.salistream.datasets.synth.SyntheticProcedureGenerator;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.Pacing;
import org.salistream.kafka.ReadIsolation;
import org.salistream.kafka.ReplayClient;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.broker.EmbeddedKafkaBroker;
import org.salistream.live.watch.LatencyWindow;
import org.salistream.live.watch.LiveStreams;
import org.salistream.live.watch.ViewerHub;
import org.salistream.live.watch.WatchServer;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.FramePolicy;
import org.salistream.model.stage.SaliStages;
import org.salistream.model.stage.SegmentRequest;
import org.salistream.pipeline.cli.ReplayCommand;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.JobLauncher;
import org.salistream.pipeline.job.ModelStages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sali bench live}: capture-to-screen latency of the live path. One procedure is replayed in real
 * time at a rate below the model's capacity (measured first, so that the figure is not queueing) through a
 * broker and the job; two viewers ({@code sali watch}'s server, one reading {@code read_committed}, one
 * {@code read_uncommitted}) serve it to a client each that notes when every frame event arrives. Repeated for
 * the {@code next} and {@code previous} neighbour modes. Prints the table and a JSON line.
 */
@Command(
        name = "live",
        mixinStandardHelpOptions = true,
        description = "Capture-to-screen latency p50/p99: committed vs live isolation, next vs previous neighbour.")
public final class BenchLiveCommand implements Callable<Integer> {

    @Option(names = "--backbone", defaultValue = "pvt_v2_b0", description = "Encoder (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--size", defaultValue = "352", description = "Model size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--weights",
            description = "Checkpoint (default: untrained weights; the latency does not depend on them).")
    Path weights;

    @Option(names = "--frames", defaultValue = "30", description = "Frames per run (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--fps", description = "Replay rate (default: half the measured model capacity, at most 5).")
    Double fps;

    @Option(
            names = "--neighbors",
            split = ",",
            defaultValue = "next,previous",
            description = "Modes (default: ${DEFAULT-VALUE}).")
    List<String> neighbors;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "2s",
            description = "The job's checkpoint interval (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(
            names = "--work",
            defaultValue = "bench-out/live",
            description = "Scratch folder (default: ${DEFAULT-VALUE}).")
    Path work;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(work);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("model.backbone", backbone);
        keys.put("model.size", Integer.toString(size));
        keys.put("model.weights", weights == null ? "" : weights.toString());
        keys.put("batch.max-size", "1");
        keys.put("checkpoint.interval", checkpointInterval);
        keys.put("procedure.idle-timeout", "300s");
        SyntheticCase c = new SyntheticProcedureGenerator(
                        SynthOptions.builder()
                                .size(size, size)
                                .frames(frames)
                                .polyps(1, 1)
                                .build(),
                        3)
                .generateCase(1);
        Path split = work.resolve("Bench");
        new SunSegWriter(split).write(c, false, line -> {});
        double model = modelMillisPerFrame(PipelineConfig.of(keys), split, c.id());
        double rate = fps != null ? fps : Math.min(5, 0.5 * 1000 / model);
        System.err.printf(
                Locale.ROOT,
                "sali bench live: %s@%d (%s), model %.0f ms/frame (capacity %.2f fps); replaying %d frames"
                        + " at %.2f fps; checkpoints every %s%n",
                backbone,
                size,
                weights == null ? "untrained weights" : weights,
                model,
                1000 / model,
                frames,
                rate,
                checkpointInterval);
        List<String> rows = new ArrayList<>();
        ArrayNode json = new ObjectMapper().createArrayNode();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            String bootstrap = broker.bootstrapServers();
            keys.put("kafka.bootstrap-servers", bootstrap);
            TopicAdmin.ensureTopics(bootstrap, TopicSettings.defaults());
            for (String neighbor : neighbors) {
                keys.put("model.neighbor", neighbor);
                keys.put("job.name", "SALI live bench " + neighbor);
                Map<ReadIsolation, List<double[]>> result =
                        run(PipelineConfig.of(keys), split, c.id(), "bench-" + neighbor, rate);
                for (Map.Entry<ReadIsolation, List<double[]>> e : result.entrySet()) {
                    double[] screen = column(e.getValue(), 1);
                    double[] emitted = column(e.getValue(), 2);
                    double visible =
                            e.getValue().isEmpty() ? Double.NaN : e.getValue().get(0)[3];
                    rows.add(String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %.0f | %.0f | %.0f | %.0f |",
                            neighbor,
                            e.getKey(),
                            screen.length,
                            LatencyWindow.percentile(screen, 50),
                            LatencyWindow.percentile(screen, 99),
                            LatencyWindow.percentile(emitted, 50),
                            visible));
                    ObjectNode n = json.addObject();
                    n.put("neighbor", neighbor)
                            .put("isolation", e.getKey().toString())
                            .put("frames", screen.length)
                            .put("p50Ms", LatencyWindow.percentile(screen, 50))
                            .put("p99Ms", LatencyWindow.percentile(screen, 99))
                            .put("emittedP50Ms", LatencyWindow.percentile(emitted, 50))
                            .put("visibleP50Ms", visible);
                    System.err.println("  " + rows.get(rows.size() - 1));
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "sali bench live (%d cores, %s@%d, model %.0f ms/frame, %.2f fps replayed, checkpoints every %s)%n",
                Runtime.getRuntime().availableProcessors(),
                backbone,
                size,
                model,
                rate,
                checkpointInterval);
        System.out.println(
                "| neighbour | isolation | frames | capture to screen p50 ms | p99 ms | capture to mask emitted p50 ms"
                        + " | capture to mask read by the viewer p50 ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        ObjectNode line = new ObjectMapper().createObjectNode();
        line.put("bench", "live")
                .put("backbone", backbone)
                .put("size", size)
                .put("modelMsPerFrame", model)
                .put("fps", rate);
        line.set("results", json);
        System.out.println(line);
        return 0;
    }

    /** One job run: the procedure replayed, read by a committed and a live viewer; per isolation the frames seen. */
    private static Map<ReadIsolation, List<double[]>> run(
            PipelineConfig config, Path split, String caseId, String procedure, double rate) throws Exception {
        Map<ReadIsolation, List<double[]>> out = new LinkedHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        List<SseClient> clients = new ArrayList<>();
        List<ViewerHub> hubs = new ArrayList<>();
        JobClient job = JobLauncher.start(config, false);
        try {
            for (ReadIsolation isolation : ReadIsolation.values()) {
                ViewerHub hub = new ViewerHub(Set.of(procedure));
                hubs.add(hub);
                LiveStreams streams = new LiveStreams(config.kafkaConnection(), config.topics(), isolation, hub);
                Thread t = new Thread(streams, "bench-" + isolation);
                t.setDaemon(true);
                t.start();
                WatchServer server = WatchServer.start("127.0.0.1", 0, hub);
                SseClient client = new SseClient("http://127.0.0.1:" + server.port(), procedure);
                Thread ct = new Thread(client, "bench-client-" + isolation);
                ct.setDaemon(true);
                ct.start();
                open.add(client);
                open.add(server);
                open.add(streams);
                clients.add(client);
            }
            Thread.sleep(1000); // the clients are subscribed before the first frame
            try (FrameProducer producer = new FrameProducer(config.get("kafka.bootstrap-servers"));
                    Stream<RecordedFrame> frames = RecordedProcedure.ofSunSegCase(
                                    SunSegLayout.ofSplitRoot(split), caseId)
                            .frames()) {
                new ReplayClient(producer, "bench-scope")
                        .replay(procedure, ReplayCommand.toReplay(frames.iterator()), Pacing.realtime(rate), null);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!clients.stream().allMatch(SseClient::ended) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            for (int i = 0; i < clients.size(); i++) {
                List<double[]> rows = new ArrayList<>();
                double[] visible = hubs.get(i).latencies(procedure, "visible");
                for (double[] f : clients.get(i).frames()) {
                    rows.add(new double[] {f[0], f[1], f[2], LatencyWindow.percentile(visible, 50)});
                }
                out.put(ReadIsolation.values()[i], rows);
            }
            return out;
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * The model's time per frame (encode and segment, batch 1) on the procedure's frames: the median over
     * frames 4 to 10, after three warm-up frames (libtorch's first calls at a new shape are slow).
     */
    private static double modelMillisPerFrame(PipelineConfig config, Path split, String caseId) throws Exception {
        List<RgbImage> images = new ArrayList<>();
        try (Stream<RecordedFrame> fs = RecordedProcedure.ofSunSegCase(SunSegLayout.ofSplitRoot(split), caseId)
                .frames()) {
            for (RecordedFrame f : (Iterable<RecordedFrame>) fs.limit(10)::iterator) {
                images.add(FrameDecoder.decode(f.encoded(), f.name()));
            }
        }
        List<Double> times = new ArrayList<>();
        try (SaliStages stages = new ModelStages().open(config)) {
            MemoryState memory = MemoryState.empty();
            FrameFeatures previous = null;
            for (int i = 0; i < images.size(); i++) {
                long t0 = System.nanoTime();
                FrameFeatures f = stages.encode(List.of(images.get(i))).get(0);
                var r = stages.segment(List.of(new SegmentRequest(
                                f,
                                previous == null ? f : previous,
                                memory,
                                FramePolicy.forOrdinal(i, stages.config().memFreq()))))
                        .get(0);
                memory = r.memory();
                previous = f;
                if (i >= 3) {
                    times.add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        return LatencyWindow.percentile(
                times.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    private static double[] column(List<double[]> rows, int i) {
        return rows.stream().mapToDouble(r -> r[i]).toArray();
    }
}
