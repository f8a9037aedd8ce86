package org.salistream.pipeline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.salistream.datasets.RecordedFrame;
import org.salistream.datasets.RecordedProcedure;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.SaliTopics;
import org.salistream.kafka.broker.EmbeddedKafkaBroker;
import org.salistream.pipeline.cli.ClusterBenchReport.StateRun;
import org.salistream.pipeline.cluster.ClusterRest;
import org.salistream.pipeline.cluster.ClusterSpec;
import org.salistream.pipeline.cluster.StandaloneCluster;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.demo.LocalPipeline;
import org.salistream.pipeline.demo.ResultReader;
import org.salistream.pipeline.job.JobLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sali bench cluster}: the job on a standalone cluster of this machine (one JVM per process) with an
 * embedded broker: throughput with one TaskManager and with two; then, per state backend, procedures fed
 * until their memory banks are full, the cost per frame and the checkpoints' duration and size; then the
 * recovery after {@code kill -9} of the TaskManager running the job (until the job runs again, until a
 * checkpoint completes, until the masks of frames sent at the kill are visible). Medians, ratios, one JSON
 * line ({@link ClusterBenchReport}).
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description =
                "Throughput with 1 and 2 TaskManagers, checkpoints with full memory banks, recovery after kill -9.")
public final class BenchClusterCommand implements Callable<Integer> {

    @Option(
            names = "--procedures",
            defaultValue = "4",
            description = "Procedures of the throughput runs (default: ${DEFAULT-VALUE}).")
    int procedures;

    @Option(
            names = "--frames",
            defaultValue = "12",
            description = "Frames per procedure of the throughput runs (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--state-procedures",
            defaultValue = "8",
            description = "Procedures of the state runs (default: ${DEFAULT-VALUE}).")
    int stateProcedures;

    @Option(
            names = "--memory-length",
            defaultValue = "35",
            description =
                    "Memory bank length of the state runs, written every frame so that it fills (default: ${DEFAULT-VALUE}, published).")
    int memoryLength;

    @Option(
            names = "--state-backends",
            split = ",",
            defaultValue = "hashmap,rocksdb",
            description = "State backends to compare (default: ${DEFAULT-VALUE}).")
    List<String> backends;

    @Option(names = "--backbone", defaultValue = "pvt_v2_b0", description = "Encoder (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(
            names = "--size",
            defaultValue = "352",
            description = "Model size (default: ${DEFAULT-VALUE}; sets the memory bank's size).")
    int size;

    @Option(
            names = "--tm-memory",
            defaultValue = "1536m",
            description = "Flink memory per TaskManager (default: ${DEFAULT-VALUE}).")
    String tmMemory;

    @Option(
            names = "--work",
            defaultValue = "bench-out/cluster",
            description = "Scratch folder (default: ${DEFAULT-VALUE}).")
    Path work;

    private EmbeddedKafkaBroker broker;
    private StandaloneCluster cluster;
    private int jobs;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(work);
        System.err.printf(
                Locale.ROOT,
                "sali bench cluster: %s@%d, untrained weights, %d cores, load %.1f%n",
                backbone,
                size,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        broker = EmbeddedKafkaBroker.builder().build().start();
        try {
            cluster = StandaloneCluster.start(ClusterSpec.builder()
                    .dir(work.resolve("flink"))
                    .taskManagers(1)
                    .slots(1)
                    .taskManagerMemory(tmMemory)
                    .flink("heartbeat.interval", "1000")
                    .flink("heartbeat.timeout", "6000")
                    .build());
            Map<String, RecordedProcedure> recs =
                    LocalPipeline.synthesise(work.resolve("throughput"), procedures, frames, 1, true);
            double one = throughput(recs, 1);
            cluster.startTaskManager(2);
            cluster.awaitTaskManagers(2, Duration.ofMinutes(3));
            double two = throughput(recs, 2);
            System.err.printf(
                    Locale.ROOT,
                    "  throughput: 1 TaskManager %.2f fps, 2 TaskManagers %.2f fps (x%.2f)%n",
                    one,
                    two,
                    two / one);
            Map<String, RecordedProcedure> full =
                    LocalPipeline.synthesise(work.resolve("state"), stateProcedures, memoryLength + 1, 2, true);
            Map<String, StateRun> state = new LinkedHashMap<>();
            for (String b : backends) {
                state.put(b, stateRun(full, b, b.equals(backends.get(0))));
            }
            new ClusterBenchReport(backbone, size, procedures, frames, stateProcedures, memoryLength)
                    .print(one, two, state);
            return 0;
        } finally {
            if (cluster != null) {
                cluster.stop();
            }
            broker.close();
        }
    }

    private PipelineConfig config(int parallelism, Map<String, String> more) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("kafka.bootstrap-servers", broker.bootstrapServers());
        k.put("model.backbone", backbone);
        k.put("model.size", Integer.toString(size));
        k.put("checkpoint.interval", "2s");
        k.put("checkpoint.dir", work.toAbsolutePath().resolve("checkpoints").toString());
        k.put("job.parallelism", Integer.toString(parallelism));
        k.put("job.name", "SALI bench cluster " + (++jobs));
        k.put("kafka.group-id", "sali-bench-" + jobs);
        k.put("kafka.transactional-id-prefix", "sali-bench-" + jobs);
        k.put("kafka.starting-offsets", "latest");
        k.putAll(more);
        return PipelineConfig.of(k);
    }

    private JobClient submit(PipelineConfig config) throws Exception {
        JobClient job = JobLauncher.start(
                config,
                JobLauncher.Target.local().onCluster(cluster.restAddress(), List.of()),
                UnaryOperator.identity());
        String id = job.getJobID().toString();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!cluster.rest().fullyRunning(id)) { // the source starts at "latest": nothing before it is read
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not start within 5 minutes");
            }
            Thread.sleep(500);
        }
        Thread.sleep(3000);
        return job;
    }

    /** The recordings under procedure ids of the current run (the reader reads every run's results). */
    private Map<String, RecordedProcedure> ofThisRun(Map<String, RecordedProcedure> recs) {
        Map<String, RecordedProcedure> out = new LinkedHashMap<>();
        recs.forEach((k, v) -> out.put("run" + jobs + "-" + k, v));
        return out;
    }

    private static long masksOf(ResultReader reader, Map<String, RecordedProcedure> recs) {
        return reader.masks().stream()
                .filter(m -> recs.containsKey(m.mask().procedureId()))
                .count();
    }

    /** Frames per second, first capture to last mask emitted, with every procedure replayed at once. */
    private double throughput(Map<String, RecordedProcedure> all, int parallelism) throws Exception {
        JobClient job = submit(config(parallelism, Map.of("batch.max-size", Integer.toString(procedures))));
        Map<String, RecordedProcedure> recs = ofThisRun(all);
        try (ResultReader reader = new ResultReader(broker.bootstrapServers(), SaliTopics.defaults())) {
            long sent = send(recs, Integer.MAX_VALUE, true);
            LocalPipeline.awaitResults(reader, recs, sent, Duration.ofMinutes(30), true);
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (ResultReader.SeenMask s : reader.masks()) {
                if (!recs.containsKey(s.mask().procedureId())) {
                    continue;
                }
                first = Math.min(first, s.mask().captureMicros());
                last = Math.max(last, s.mask().emitMicros());
            }
            return sent / ((last - first) / 1e6);
        } finally {
            job.cancel().get();
        }
    }

    /** Sends the first {@code max} frames of every recording (capture time = now), interleaved; the ends if asked. */
    private long send(Map<String, RecordedProcedure> recs, int max, boolean ends) throws Exception {
        Map<String, List<RecordedFrame>> all = new LinkedHashMap<>();
        for (Map.Entry<String, RecordedProcedure> r : recs.entrySet()) {
            try (Stream<RecordedFrame> fs = r.getValue().frames()) {
                all.put(r.getKey(), fs.limit(max).toList());
            }
        }
        long n = 0;
        try (FrameProducer p = new FrameProducer(broker.bootstrapServers())) {
            int len = all.values().stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < len; i++) {
                for (Map.Entry<String, List<RecordedFrame>> e : all.entrySet()) {
                    if (i < e.getValue().size()) {
                        RecordedFrame f = e.getValue().get(i);
                        p.send(
                                e.getKey(),
                                i,
                                nowMicros(),
                                "bench-scope",
                                f.contentType(),
                                f.width(),
                                f.height(),
                                f.encoded());
                        n++;
                    }
                }
            }
            if (ends) {
                all.forEach((k, v) -> p.endProcedure(k, v.size() - 1));
            }
            p.flush();
        }
        return n;
    }

    private static long nowMicros() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    /** Memory banks filled (memory written every frame), checkpoints measured; with {@code kill}, a kill -9. */
    private StateRun stateRun(Map<String, RecordedProcedure> all, String backend, boolean kill) throws Exception {
        PipelineConfig config = config(
                1,
                Map.of(
                        "state.backend",
                        backend,
                        "model.memory.freq",
                        "1",
                        "model.memory.length",
                        Integer.toString(memoryLength),
                        "batch.max-size",
                        Integer.toString(stateProcedures)));
        JobClient job = submit(config);
        Map<String, RecordedProcedure> recs = ofThisRun(all);
        String id = job.getJobID().toString();
        ClusterRest rest = cluster.rest();
        try (ResultReader reader = new ResultReader(broker.bootstrapServers(), SaliTopics.defaults())) {
            long t0 = System.nanoTime();
            send(recs, memoryLength + 1, false);
            long expected = (long) stateProcedures * memoryLength; // each last frame waits for its neighbour
            while (masksOf(reader, recs) < expected) {
                reader.poll();
            }
            double msPerFrame = (System.nanoTime() - t0) / 1e6 / expected;
            long after = rest.completedCheckpoints(id).stream()
                    .mapToLong(ClusterRest.Checkpoint::id)
                    .max()
                    .orElse(0);
            List<ClusterRest.Checkpoint> full = new ArrayList<>();
            while (full.size() < 3) {
                Thread.sleep(1000);
                full = rest.completedCheckpoints(id).stream()
                        .filter(c -> c.id() > after + 1)
                        .toList();
            }
            long bytes = median(
                    full.stream().mapToLong(ClusterRest.Checkpoint::stateBytes).toArray());
            long persisted = median(full.stream()
                    .mapToLong(ClusterRest.Checkpoint::persistedBytes)
                    .toArray());
            long millis = median(full.stream()
                    .mapToLong(ClusterRest.Checkpoint::durationMillis)
                    .toArray());
            System.err.printf(
                    Locale.ROOT,
                    "  %s: %.0f ms/frame filling %d banks; checkpoints %.1f MB (%.1f MB written) in %d ms%n",
                    backend,
                    msPerFrame,
                    stateProcedures,
                    bytes / 1e6,
                    persisted / 1e6,
                    millis);
            long[] recovery =
                    kill ? recover(id, recs, reader, full.get(full.size() - 1).id()) : new long[] {-1, -1, -1};
            return new StateRun(msPerFrame, bytes, persisted, millis, recovery[0], recovery[1], recovery[2]);
        } finally {
            job.cancel().get();
        }
    }

    /** Kills the TaskManager running the job; milliseconds until it runs again, checkpoints again, and the masks show. */
    private long[] recover(String id, Map<String, RecordedProcedure> recs, ResultReader reader, long lastCheckpoint)
            throws Exception {
        ClusterRest rest = cluster.rest();
        String victim = rest.taskManagers().stream()
                .filter(t -> t.freeSlots() == 0)
                .findFirst()
                .orElseThrow()
                .id();
        long before = masksOf(reader, recs);
        long t0 = System.nanoTime();
        cluster.kill9(victim);
        send(recs, 0, true); // the ends: every frame still waiting for its neighbour is segmented
        long running = -1;
        long checkpointed = -1;
        while (checkpointed < 0 || masksOf(reader, recs) < before + stateProcedures) {
            reader.poll();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (running < 0 && rest.failures(id) > 0 && rest.fullyRunning(id)) {
                running = ms;
            }
            if (checkpointed < 0
                    && running >= 0
                    && rest.completedCheckpoints(id).stream().anyMatch(c -> c.id() > lastCheckpoint)) {
                checkpointed = ms;
            }
            if (ms > 600_000) {
                throw new IllegalStateException("no recovery within 10 minutes");
            }
        }
        long masks = (System.nanoTime() - t0) / 1_000_000;
        System.err.printf(
                Locale.ROOT,
                "  kill -9 of %s: running again after %d ms, checkpoint after %d ms, masks after %d ms%n",
                victim,
                running,
                checkpointed,
                masks);
        cluster.startTaskManager(Integer.parseInt(victim.substring("taskmanager-".length())));
        cluster.awaitTaskManagers(2, Duration.ofMinutes(3));
        return new long[] {running, checkpointed, masks};
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length == 0 ? -1 : s[s.length / 2];
    }
}
