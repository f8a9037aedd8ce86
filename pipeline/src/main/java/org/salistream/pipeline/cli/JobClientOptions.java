package org.salistream.pipeline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.SaliTopics;
import org.salistream.kafka.cli.KafkaClientOptions;
import org.salistream.pipeline.config.PipelineConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every command that is a client of the job's topics shares ({@code replay}, {@code ingest},
 * {@code tail}, {@code watch}): where Kafka is and how to connect ({@code --bootstrap}, {@code --kafka-config}:
 * TLS, SASL), and the job's configuration, which names the topics. A client started with the job's
 * {@code --config FILE} therefore reads and writes exactly the topics the job uses; no client spells a topic
 * name.
 */
public final class JobClientOptions {

    @Mixin
    KafkaClientOptions kafka;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The job's configuration (properties, dash-case keys): topic names (kafka.topics.*) and the Kafka address.")
    Path configFile;

    private PipelineConfig config;

    /**
     * The job's configuration (defaults, then {@code --config}, then {@code --kafka-config} as
     * {@code kafka.client.*}, then {@code --bootstrap}), parsed once.
     */
    public PipelineConfig config() throws IOException {
        if (config == null) {
            if (configFile != null && !Files.isRegularFile(configFile)) {
                throw new IllegalArgumentException("--config: no such file " + configFile);
            }
            Map<String, String> overrides = new LinkedHashMap<>();
            if (kafka.bootstrapOption() != null) {
                overrides.put("kafka.bootstrap-servers", kafka.bootstrapOption());
            }
            config = PipelineConfig.load(configFile, kafka.configFile(), overrides);
        }
        return config;
    }

    /** The Kafka cluster and the client properties to reach it with. */
    public KafkaConnection connection() throws IOException {
        return config().kafkaConnection();
    }

    /** The bootstrap servers. */
    public String bootstrap() throws IOException {
        return connection().bootstrapServers();
    }

    /** The deployment's topics. */
    public SaliTopics topics() throws IOException {
        return config().topics();
    }
}
