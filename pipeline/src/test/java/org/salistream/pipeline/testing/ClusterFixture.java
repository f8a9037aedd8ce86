package org.salistream.pipeline.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.salistream.kafka.broker.EmbeddedKafkaBroker;
import org.salistream.pipeline.cluster.ClusterRest;
import org.salistream.pipeline.cluster.ClusterSpec;
import org.salistream.pipeline.cluster.StandaloneCluster;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.JobLauncher;
import org.salistream.pipeline.job.SegmentationJob;

/**
 * A real Kafka broker (data kept in a folder, so that it can be stopped and started again) and a
 * multi-process Flink cluster (a JobManager and two TaskManagers of one slot, each its own JVM on this
 * test's classpath), for failover tests. Modest heaps: the machine is shared.
 */
public final class ClusterFixture implements AutoCloseable {

    private final Path root;
    private EmbeddedKafkaBroker broker;
    private final int brokerPort;
    private final StandaloneCluster cluster;

    private ClusterFixture(Path root, EmbeddedKafkaBroker broker, StandaloneCluster cluster) {
        this.root = root;
        this.broker = broker;
        this.brokerPort = broker.port();
        this.cluster = cluster;
    }

    /**
     * The libtorch intra-op thread count of every JVM of a test, this one included: the one the test JVM was
     * given ({@code -Dai.djl.pytorch.num_threads}), else 1, set here too. The masks must equal the offline ones
     * byte for byte, so every process must run the same kernels with the same summation order.
     */
    public static List<String> pinnedTorchThreads() {
        String given = System.getProperty("ai.djl.pytorch.num_threads");
        if (given != null) {
            return List.of(); // JavaProcess passes the property on
        }
        ai.djl.engine.Engine.getEngine("PyTorch");
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        return List.of("-Dai.djl.pytorch.num_threads=1");
    }

    /** Starts the broker and a cluster of {@code taskManagers} task managers with one slot each. */
    public static ClusterFixture start(int taskManagers) throws Exception {
        List<String> jvm = new java.util.ArrayList<>(List.of("-XX:+UseSerialGC"));
        jvm.addAll(pinnedTorchThreads());
        Path root = Files.createTempDirectory("sali-cluster-it");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(root.resolve("kafka"))
                .build()
                .start();
        try {
            StandaloneCluster cluster = StandaloneCluster.start(ClusterSpec.builder()
                    .dir(root.resolve("flink"))
                    .taskManagers(taskManagers)
                    .slots(1)
                    .taskManagerMemory("1024m")
                    .jvmOptions(jvm)
                    .flink("heartbeat.interval", "1000")
                    .flink("heartbeat.timeout", "6000")
                    .startTimeout(Duration.ofMinutes(5))
                    .build());
            return new ClusterFixture(root, broker, cluster);
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    /** The broker's address (the same after a restart). */
    public String bootstrap() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The cluster. */
    public StandaloneCluster cluster() {
        return cluster;
    }

    /** The cluster's REST API. */
    public ClusterRest rest() {
        return cluster.rest();
    }

    /** A job configuration for this broker: the test model, fast checkpoints and restarts, alerts on every frame. */
    public PipelineConfig config(String name, String... overrides) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("checkpoint.interval", "1s");
        m.put("checkpoint.dir", root.resolve("checkpoints-" + name).toString());
        m.put("restart.initial-backoff", "500ms");
        m.put("restart.max-backoff", "2s");
        m.put("alerts.threshold", "0");
        m.put("job.max-parallelism", "8");
        m.put("job.name", "failover " + name);
        for (int i = 0; i < overrides.length; i += 2) {
            m.put(overrides[i], overrides[i + 1]);
        }
        String[] flat = m.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
        return JobHarness.config(bootstrap(), flat);
    }

    /** Submits the job to the cluster (classes from the cluster's classpath, no jar). */
    public JobClient submit(PipelineConfig config, Path restoreFrom) throws Exception {
        return JobLauncher.start(
                config,
                JobLauncher.Target.local()
                        .onCluster(cluster.restAddress(), List.of())
                        .restoringFrom(restoreFrom),
                java.util.function.UnaryOperator.<SegmentationJob>identity());
    }

    /** Stops the broker (its data stays). */
    public void stopBroker() {
        broker.close();
    }

    /** Starts the broker again on the same port with the same data. */
    public void startBroker() {
        broker = EmbeddedKafkaBroker.builder()
                .port(brokerPort)
                .dataDir(root.resolve("kafka"))
                .build()
                .start();
    }

    /** Waits for a condition, polling, failing with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(500);
        }
    }

    /** The task manager (resource id) whose slot runs the job: the one without a free slot. */
    public String busyTaskManager() throws Exception {
        return rest().taskManagers().stream()
                .filter(t -> t.freeSlots() == 0)
                .map(ClusterRest.TaskManager::id)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no task manager runs a job"));
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.stop();
        } finally {
            broker.close();
            org.apache.flink.util.FileUtils.deleteDirectoryQuietly(root.toFile());
        }
    }
}
