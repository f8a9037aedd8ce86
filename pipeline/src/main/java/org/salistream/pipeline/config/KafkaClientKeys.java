package org.salistream.pipeline.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.salistream.kafka.KafkaConnection;

/**
 * The {@code kafka.client.<property>} keys of {@link PipelineConfig}: Kafka client properties (TLS, SASL,
 * timeouts) for every client of the job, taken from the configuration tree or from a client properties
 * file ({@code --kafka-config FILE}, the same file the other commands take).
 */
final class KafkaClientKeys {

    /** Prefix of the keys, e.g. {@code kafka.client.security.protocol=SASL_SSL}. */
    static final String PREFIX = "kafka.client.";

    private KafkaClientKeys() {}

    /** Whether a key is a client property key. */
    static boolean isClientKey(String key) {
        return key.startsWith(PREFIX) && key.length() > PREFIX.length();
    }

    /** Whether a key is a client property holding a secret (hidden when the configuration is printed). */
    static boolean isSecret(String key) {
        return isClientKey(key) && KafkaConnection.isSecret(key);
    }

    /**
     * A client properties file as configuration keys: each property as {@code kafka.client.<property>}, its
     * {@code bootstrap.servers} as {@code kafka.bootstrap-servers}; no keys for a null file.
     */
    static Map<String, String> fromClientFile(Path file) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        if (file != null) {
            KafkaConnection.readProperties(file)
                    .forEach((k, v) ->
                            keys.put(k.equals("bootstrap.servers") ? "kafka.bootstrap-servers" : PREFIX + k, v));
        }
        return keys;
    }

    /** The connection of a configuration's values: {@code kafka.bootstrap-servers} and the client keys. */
    static KafkaConnection connection(Map<String, String> values) {
        Map<String, String> client = new TreeMap<>();
        values.forEach((k, v) -> {
            if (isClientKey(k)) {
                client.put(k.substring(PREFIX.length()), v);
            }
        });
        try {
            return KafkaConnection.of(values.get("kafka.bootstrap-servers"), client);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kafka.client.*: " + e.getMessage(), e);
        }
    }
}
