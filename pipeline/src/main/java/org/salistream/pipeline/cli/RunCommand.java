package org.salistream.pipeline.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.salistream.kafka.cli.KafkaClientOptions;
import org.salistream.model.checkpoint.ShippedModel;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.JobLauncher;
import org.salistream.pipeline.job.RetainedCheckpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sali run}: the segmentation job against any Kafka, on a local Flink MiniCluster in this JVM until
 * Ctrl-C, or submitted to a running Flink cluster ({@code --cluster}). Locally it resumes from the newest
 * checkpoint retained in {@code checkpoint.dir} (a killed run loses nothing), unless {@code --fresh}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Run the streaming segmentation job (local Flink MiniCluster, or --cluster) against a Kafka cluster.")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    KafkaClientOptions kafka;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "SALI checkpoint (.pth or native folder), or 'untrained' for random weights (default:"
                    + " model.weights of the configuration, else the shipped model " + ShippedModel.FOLDER + ").")
    Path weights;

    @Option(names = "--config", paramLabel = "FILE", description = "Job configuration (properties, dash-case keys).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--no-create-topics",
            description =
                    "Do not create missing topics: refuse to start when one is missing (kafka.topics.create-missing=false).")
    boolean noCreateTopics;

    @Option(
            names = "--cluster",
            paramLabel = "HOST:PORT",
            description = "Submit to the Flink cluster with this REST address (see sali cluster start) and return.")
    String cluster;

    @Option(
            names = "--job-jar",
            paramLabel = "FILE",
            description = "With --cluster: the job's classes from this jar "
                    + "(mvn -Pflink-job); without it the cluster's own classpath must have them (sali cluster start).")
    Path jobJar;

    @Option(names = "--fresh", description = "Ignore checkpoints retained in checkpoint.dir; start with empty state.")
    boolean fresh;

    @Option(names = "--restore", paramLabel = "DIR", description = "Resume from this checkpoint or savepoint.")
    Path restore;

    @Override
    public Integer call() throws Exception {
        if (jobJar != null && cluster == null) {
            throw new IllegalArgumentException("--job-jar needs --cluster");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        if (kafka.bootstrapOption() != null) {
            keys.put("kafka.bootstrap-servers", kafka.bootstrapOption());
        }
        if (noCreateTopics) {
            keys.put("kafka.topics.create-missing", "false");
        }
        keys.putAll(overrides);
        PipelineModel model = PipelineModel.resolve(weights, configFile, kafka.configFile(), keys);
        PipelineConfig config = model.config();
        System.err.println("sali run: model: " + model.description());
        JobLauncher.Target target = JobLauncher.Target.local()
                .creatingTopics(!noCreateTopics)
                .restoringFrom(restore != null ? restore : resumePoint(config).orElse(null));
        if (cluster != null) {
            target = target.onCluster(cluster, jobJar == null ? List.of() : List.of(jobJar));
        }
        System.err.println("sali run: batch " + config.batchMaxSize() + " / "
                + config.batchMaxWait().toMillis() + " ms, " + (config.exactlyOnce() ? "exactly-once" : "at-least-once")
                + " to " + config.kafkaConnection() + (cluster == null ? " (local)" : " on " + cluster)
                + (target.restoreFrom() == null ? "" : ", resuming from " + target.restoreFrom()));
        JobClient job = JobLauncher.start(config, target, UnaryOperator.identity());
        if (cluster != null) {
            System.out.println(job.getJobID());
            return 0;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("sali run: cancelling the job (its last checkpoint is kept for the next start)");
            try {
                job.cancel().get();
            } catch (Exception e) {
                System.err.println("sali run: cancel failed: " + e.getMessage());
            }
        }));
        job.getJobExecutionResult().get();
        return 0;
    }

    /** The newest checkpoint retained in {@code checkpoint.dir}, unless --fresh or no folder is configured. */
    private Optional<Path> resumePoint(PipelineConfig config) {
        if (fresh) {
            return Optional.empty();
        }
        if (config.checkpointDir() == null) {
            System.err.println("sali run: checkpoint.dir is not set: checkpoints go to a temporary folder and a restart"
                    + " starts with empty state (set checkpoint.dir to resume after a crash)");
            return Optional.empty();
        }
        return RetainedCheckpoints.latest(config.checkpointDir());
    }
}
