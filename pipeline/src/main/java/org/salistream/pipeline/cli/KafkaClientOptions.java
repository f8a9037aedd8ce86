package org.salistream.pipeline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salistream.kafka.SaliTopics;
import org.salistream.pipeline.config.PipelineConfig;
import picocli.CommandLine.Option;

/**
 * The options every Kafka client command shares ({@code replay}, {@code ingest}, {@code tail},
 * {@code watch}): where Kafka is, and the job's configuration, which names the topics. A client started
 * with the job's {@code --config FILE} therefore reads and writes exactly the topics the job uses; no client
 * spells a topic name.
 */
public final class KafkaClientOptions {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the configuration's kafka.bootstrap-servers, else 127.0.0.1:9092).")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The job's configuration (properties, dash-case keys): topic names (kafka.topics.*) and the Kafka address.")
    Path configFile;

    private PipelineConfig config;

    /** The job's configuration (defaults, then {@code --config}, then {@code --bootstrap}), parsed once. */
    public PipelineConfig config() throws IOException {
        if (config == null) {
            if (configFile != null && !Files.isRegularFile(configFile)) {
                throw new IllegalArgumentException("--config: no such file " + configFile);
            }
            Map<String, String> overrides = new LinkedHashMap<>();
            if (bootstrap != null) {
                overrides.put("kafka.bootstrap-servers", bootstrap);
            }
            config = PipelineConfig.load(configFile, overrides);
        }
        return config;
    }

    /** The bootstrap servers. */
    public String bootstrap() throws IOException {
        String b = config().get("kafka.bootstrap-servers");
        if (b.isBlank()) {
            throw new IllegalArgumentException("--bootstrap: no Kafka address given");
        }
        return b;
    }

    /** The deployment's topics. */
    public SaliTopics topics() throws IOException {
        return config().topics();
    }
}
