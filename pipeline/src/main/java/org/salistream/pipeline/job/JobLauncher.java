package org.salistream.pipeline.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicSettings;
import org.salistream.model.checkpoint.Sha256;
import org.salistream.model.weights.NativeCheckpoint;
import org.salistream.pipeline.config.PipelineConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the segmentation job from a configuration: Kafka source and sinks, the configured model, the
 * Flink settings; then runs it in the current execution environment (a local MiniCluster under
 * {@code bin/sali}, the cluster under {@code flink run}).
 */
public final class JobLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);

    private JobLauncher() {
    }

    /** The environment with the job added. */
    public static StreamExecutionEnvironment prepare(PipelineConfig config, boolean createTopics) throws IOException {
        String bootstrap = config.get("kafka.bootstrap-servers");
        if (createTopics) {
            TopicAdmin.ensureTopics(bootstrap, config.topics(), TopicSettings.defaults().withMaxFrameBytes(config.maxFrameBytes()));
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(SegmentationJob.flinkConfiguration(config));
        new SegmentationJob(JobSources.kafka(config), JobSinks.kafka(config), config, new ModelStages(),
                modelVersion(config.weights())).build(env);
        return env;
    }

    /** Starts the job and returns at once. */
    public static JobClient start(PipelineConfig config, boolean createTopics) throws Exception {
        JobClient client = prepare(config, createTopics).executeAsync(config.get("job.name"));
        LOG.info("Started job {} ({}) reading {} from {}", client.getJobID(), config.get("job.name"),
                config.topics().frames().name(), config.get("kafka.bootstrap-servers"));
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
            sha = NativeCheckpoint.readMetadata(NativeCheckpoint.folder(weights)).sha256();
        } else if (Files.isRegularFile(weights)) {
            sha = Sha256.ofFile(weights);
        } else {
            throw new IOException("model.weights: no such checkpoint " + weights);
        }
        return "sha256:" + sha.substring(0, 12);
    }
}
