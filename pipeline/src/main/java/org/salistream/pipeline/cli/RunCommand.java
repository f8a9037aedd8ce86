package org.salistream.pipeline.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.salistream.model.weights.ShippedModel;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.JobLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sali run}: the segmentation job against any Kafka, on a local Flink MiniCluster in this JVM, until
 * Ctrl-C. The same job runs on a Flink cluster from the jar built with {@code -Pflink-job}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the streaming segmentation job (local Flink MiniCluster) against a Kafka cluster.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "SALI checkpoint (.pth or native folder), or 'untrained' for random weights (default:"
                    + " model.weights of the configuration, else the shipped model " + ShippedModel.FOLDER + ").")
    Path weights;

    @Option(names = "--config", paramLabel = "FILE", description = "Job configuration (properties, dash-case keys).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--no-create-topics", description = "Do not create missing topics.")
    boolean noCreateTopics;

    @Override
    public Integer call() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("kafka.bootstrap-servers", bootstrap);
        keys.putAll(overrides);
        PipelineModel model = PipelineModel.resolve(weights, configFile, keys);
        PipelineConfig config = model.config();
        System.err.println("sali run: model: " + model.description());
        System.err.println("sali run: batch " + config.batchMaxSize() + " / "
                + config.batchMaxWait().toMillis() + " ms, " + (config.exactlyOnce() ? "exactly-once" : "at-least-once")
                + " to " + bootstrap);
        JobClient job = JobLauncher.start(config, !noCreateTopics);
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
