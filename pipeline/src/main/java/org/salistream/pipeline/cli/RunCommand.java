package org.salistream.pipeline.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.salistream.kafka.cli.KafkaClientOptions;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.JobLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sali run}: the segmentation job against any Kafka, on a local Flink MiniCluster in this JVM, until
 * Ctrl-C. The same job runs on a Flink cluster from the jar built with {@code -Pflink-job}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the streaming segmentation job (local Flink MiniCluster) against a Kafka cluster.")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "SALI checkpoint (.pth or native folder); without it the job runs untrained weights.")
    Path weights;

    @Option(names = "--config", paramLabel = "FILE", description = "Job configuration (properties, dash-case keys).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--no-create-topics",
            description = "Do not create missing topics: refuse to start when one is missing (kafka.topics.create-missing=false).")
    boolean noCreateTopics;

    @Override
    public Integer call() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        if (kafka.bootstrapOption() != null) {
            keys.put("kafka.bootstrap-servers", kafka.bootstrapOption());
        }
        if (noCreateTopics) {
            keys.put("kafka.topics.create-missing", "false");
        }
        if (weights != null) {
            keys.put("model.weights", weights.toString());
        }
        keys.putAll(overrides);
        PipelineConfig config = PipelineConfig.load(configFile, kafka.configFile(), keys);
        System.err.println("sali run: " + config.model() + ", batch " + config.batchMaxSize() + " / "
                + config.batchMaxWait().toMillis() + " ms, " + (config.exactlyOnce() ? "exactly-once" : "at-least-once")
                + " to " + config.kafkaConnection());
        JobClient job = JobLauncher.start(config, true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("sali run: cancelling the job");
            try {
                job.cancel().get();
            } catch (Exception e) {
                System.err.println("sali run: cancel failed: " + e.getMessage());
            }
        }));
        job.getJobExecutionResult().get();
        return 0;
    }
}
