package org.salistream.pipeline.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.TopicAdmin;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.Sha256;
import org.salistream.pipeline.config.PipelineConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the segmentation job from a configuration: Kafka source and sinks, the configured model, the
 * Flink settings; then starts it on a local MiniCluster (under {@code bin/sali}), on a running cluster
 * ({@code sali run --cluster}), or in whatever environment {@code flink run} provides.
 */
public final class JobLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);
    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(60);

    private JobLauncher() {}

    /**
     * Where and how a job starts.
     *
     * @param cluster a running cluster's REST address {@code host:port}, or null for the current environment
     *     (a local MiniCluster outside {@code flink run})
     * @param jars jars the cluster loads the job's classes from; empty when its own classpath has them
     * @param restoreFrom a retained checkpoint or savepoint to resume from (claimed: Flink deletes it once a
     *     newer checkpoint subsumes it), or null to start fresh
     * @param createTopics whether missing topics are created first
     */
    public record Target(String cluster, List<Path> jars, Path restoreFrom, boolean createTopics) {

        /** The current environment, fresh, creating topics. */
        public static Target local() {
            return new Target(null, List.of(), null, true);
        }

        /** The same target resuming from {@code checkpoint} (null: fresh). */
        public Target restoringFrom(Path checkpoint) {
            return new Target(cluster, jars, checkpoint, createTopics);
        }

        /** The same target on the cluster at {@code restAddress} with the job's classes from {@code jobJars}. */
        public Target onCluster(String restAddress, List<Path> jobJars) {
            return new Target(restAddress, List.copyOf(jobJars), restoreFrom, createTopics);
        }

        /** The same target, creating missing topics or not. */
        public Target creatingTopics(boolean create) {
            return new Target(cluster, jars, restoreFrom, create);
        }
    }

    /**
     * Checks the topics before a start: missing ones are created with {@code kafka.topics.*} when
     * {@code createTopics} and {@code kafka.topics.create-missing} allow it, else a missing topic stops the
     * start with its name. Existing topics are never altered.
     */
    private static void checkTopics(PipelineConfig config, boolean createTopics) {
        try (Admin admin = Admin.create(ClientConfigs.admin(config.kafkaConnection()))) {
            if (createTopics && config.createMissingTopics()) {
                TopicAdmin.createMissing(admin, config.topicSettings(), config.topics(), TOPIC_CHECK_TIMEOUT);
            } else {
                TopicAdmin.requireExisting(admin, config.topics(), TOPIC_CHECK_TIMEOUT);
            }
        }
    }

    /** The environment with the production job added. */
    public static StreamExecutionEnvironment prepare(PipelineConfig config, boolean createTopics) throws IOException {
        return prepare(config, Target.local().creatingTopics(createTopics), UnaryOperator.identity());
    }

    /** The environment of {@code target} with the job, as {@code customize} changes it, added. */
    public static StreamExecutionEnvironment prepare(
            PipelineConfig config, Target target, UnaryOperator<SegmentationJob> customize) throws IOException {
        checkTopics(config, target.createTopics());
        Configuration flink = SegmentationJob.flinkConfiguration(config);
        if (target.restoreFrom() != null) {
            flink.set(
                    StateRecoveryOptions.SAVEPOINT_PATH,
                    target.restoreFrom().toUri().toString());
            flink.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        }
        StreamExecutionEnvironment env;
        if (target.cluster() == null) {
            env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        } else {
            String[] hostPort = target.cluster().split(":", 2);
            if (hostPort.length != 2) {
                throw new IllegalArgumentException("a cluster address is host:port, got '" + target.cluster() + "'");
            }
            env = StreamExecutionEnvironment.createRemoteEnvironment(
                    hostPort[0],
                    Integer.parseInt(hostPort[1]),
                    flink,
                    target.jars().stream()
                            .map(j -> j.toAbsolutePath().toString())
                            .toArray(String[]::new));
        }
        customize.apply(SegmentationJob.kafka(config)).build(env);
        return env;
    }

    /** Starts the production job locally and returns at once. */
    public static JobClient start(PipelineConfig config, boolean createTopics) throws Exception {
        return start(config, Target.local().creatingTopics(createTopics), UnaryOperator.identity());
    }

    /** Starts the job on {@code target} and returns at once. */
    public static JobClient start(PipelineConfig config, Target target, UnaryOperator<SegmentationJob> customize)
            throws Exception {
        JobClient client = prepare(config, target, customize).executeAsync(config.get("job.name"));
        LOG.info(
                "Started job {} ({}) reading {} from {}{}",
                client.getJobID(),
                config.get("job.name"),
                config.topics().frames().name(),
                config.get("kafka.bootstrap-servers"),
                target.restoreFrom() == null ? "" : ", resumed from " + target.restoreFrom());
        return client;
    }

    /**
     * The model version written into every mask: {@code untrained}, or the first 12 hex digits of the
     * weights' SHA-256 (a native checkpoint's recorded digest, else the file's).
     */
    public static String modelVersion(Path weights) throws IOException {
        if (weights == null) {
            return "untrained";
        }
        String sha;
        if (NativeCheckpoint.isNative(weights)) {
            sha = NativeCheckpoint.readMetadata(NativeCheckpoint.folder(weights))
                    .sha256();
        } else if (Files.isRegularFile(weights)) {
            sha = Sha256.ofFile(weights);
        } else {
            throw new IOException("model.weights: no such checkpoint " + weights);
        }
        return "sha256:" + sha.substring(0, 12);
    }
}
