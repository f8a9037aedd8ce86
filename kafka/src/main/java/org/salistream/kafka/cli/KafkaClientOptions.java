package org.salistream.kafka.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.salistream.kafka.KafkaConnection;
import picocli.CommandLine.Option;

/**
 * The Kafka options every command that talks to a cluster shares ({@code @Mixin}): where it is and the
 * client properties to use (TLS, SASL), from a file such as those {@code sali broker --secure DIR} writes.
 *
 * <pre>{@code
 * @Mixin KafkaClientOptions kafka;
 * ... try (FrameProducer p = new FrameProducer(kafka.connection(), settings)) { ... }
 * }</pre>
 */
public final class KafkaClientOptions {

    /** Where a command connects when neither {@code --bootstrap} nor the client file says. */
    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: bootstrap.servers of --kafka-config, else "
                    + DEFAULT_BOOTSTRAP + ").")
    String bootstrap;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            defaultValue = "${env:SALI_KAFKA_CONFIG}",
            description = {
                "Kafka client properties (security.protocol, sasl.*, ssl.*), e.g. a file written by",
                "`sali broker --secure DIR` (default: $SALI_KAFKA_CONFIG when set)."
            })
    Path kafkaConfig;

    /** The bootstrap servers given on the command line, or null. */
    public String bootstrapOption() {
        return bootstrap;
    }

    /** The client properties file, or null. */
    public Path configFile() {
        return kafkaConfig;
    }

    /** The connection: the file's properties with {@code --bootstrap} (or the file's, or the default) servers. */
    public KafkaConnection connection() throws IOException {
        Map<String, String> props = kafkaConfig == null ? Map.of() : KafkaConnection.readProperties(kafkaConfig);
        String servers = bootstrap != null ? bootstrap : props.getOrDefault("bootstrap.servers", DEFAULT_BOOTSTRAP);
        try {
            return KafkaConnection.of(servers, props);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kafkaConfig + ": " + e.getMessage(), e);
        }
    }
}
