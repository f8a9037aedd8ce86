package org.salistream.pipeline.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.Pacing;
import org.salistream.kafka.ReplayClient;
import org.salistream.kafka.ReplaySummary;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.broker.EmbeddedKafkaBroker;
import org.salistream.pipeline.cli.ReplayCommand;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.JobLauncher;

/**
 * The whole system in this JVM, as the demo and the pipeline benchmark run it: a Kafka broker, the
 * segmentation job on a local MiniCluster, synthetic procedures replayed concurrently, and a read-committed
 * reader of the results.
 */
public final class LocalPipeline implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final JobClient job;
    private final PipelineConfig config;

    private LocalPipeline(EmbeddedKafkaBroker broker, JobClient job, PipelineConfig config) {
        this.broker = broker;
        this.job = job;
        this.config = config;
    }

    /** Starts a broker and the job with {@code keys} (the bootstrap address is filled in). */
    public static LocalPipeline start(Map<String, String> keys) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
        try {
            Map<String, String> k = new LinkedHashMap<>(keys);
            k.put("kafka.bootstrap-servers", broker.bootstrapServers());
            PipelineConfig config = PipelineConfig.of(k);
            return new LocalPipeline(broker, JobLauncher.start(config, true), config);
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrap() {
        return broker.bootstrapServers();
    }

    public PipelineConfig config() {
        return config;
    }

    /** Writes {@code count} synthetic procedures in SUN-SEG layout under {@code split}, and opens them. */
    public static Map<String, RecordedProcedure> synthesise(Path split, int count, int frames, long seed, boolean quiet)
            throws Exception {
        return synthesise(split, count, frames, seed, quiet, 1);
    }

    /** {@link #synthesise(Path, int, int, long, boolean)} numbering the cases from {@code firstCase}. */
    public static Map<String, RecordedProcedure> synthesise(
            Path split, int count, int frames, long seed, boolean quiet, int firstCase) throws Exception {
        SunSegWriter writer = new SunSegWriter(split);
        SyntheticProcedureGenerator gen = new SyntheticProcedureGenerator(
                SynthOptions.builder()
                        .size(384, 320)
                        .frames(frames)
                        .polyps(1, 2)
                        .build(),
                seed);
        Map<String, RecordedProcedure> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            SyntheticCase c = gen.generateCase(firstCase + i);
            writer.write(c, false, quiet ? line -> {} : line -> System.err.println("      " + line));
            out.put(c.id(), RecordedProcedure.ofSunSegCase(SunSegLayout.ofSplitRoot(split), c.id()));
        }
        return out;
    }

    /** Replays every recording at once, polling the reader meanwhile; returns the frames sent. */
    public long replayAll(Map<String, RecordedProcedure> recordings, String rate, ResultReader reader, boolean quiet)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(recordings.size());
        try (FrameProducer producer = new FrameProducer(
                KafkaConnection.to(bootstrap()),
                config.topics().frames(),
                TopicSettings.defaults(),
                new Properties())) {
            Map<String, Future<ReplaySummary>> runs = new LinkedHashMap<>();
            for (Map.Entry<String, RecordedProcedure> r : recordings.entrySet()) {
                runs.put(r.getKey(), pool.submit(() -> {
                    try (Stream<RecordedFrame> fs = r.getValue().frames()) {
                        return new ReplayClient(producer, "demo-scope-" + r.getKey(), Duration.ofSeconds(5))
                                .replay(
                                        r.getKey(),
                                        ReplayCommand.toReplay(fs.iterator()),
                                        Pacing.parse(rate, 25),
                                        quiet ? s -> {} : s -> System.err.println("      replay " + s));
                    }
                }));
            }
            long sent = 0;
            for (Future<ReplaySummary> f : runs.values()) {
                while (!f.isDone()) {
                    reader.poll();
                }
                sent += f.get().framesSent();
            }
            return sent;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads until every recording's end marker is visible, then a little longer for the alerts. */
    public static void awaitResults(
            ResultReader reader,
            Map<String, RecordedProcedure> recordings,
            long sent,
            Duration timeout,
            boolean quiet) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        while (!reader.allEnded(recordings.keySet()) && System.nanoTime() < deadline) {
            reader.poll();
            if (!quiet && System.nanoTime() - lastReport > 5e9) {
                lastReport = System.nanoTime();
                System.err.printf(
                        Locale.ROOT,
                        "      masks %d/%d, alerts %d%n",
                        reader.masks().size(),
                        sent,
                        reader.alerts().size());
            }
        }
        if (!reader.allEnded(recordings.keySet())) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s with "
                    + reader.masks().size() + " of " + sent + " masks");
        }
        long quietUntil = System.nanoTime() + 3_000_000_000L; // alerts commit with the same checkpoints
        while (System.nanoTime() < quietUntil) {
            reader.poll();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            job.cancel().get();
        } finally {
            broker.close();
        }
    }
}
