package org.salistream.pipeline.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.SaliTopics;
import org.salistream.kafka.TopicSettings;
import org.salistream.model.ModelConfig;

/**
 * The segmentation job's configuration: an immutable tree built once at the entry point from dash-case
 * keys (a properties file, then command-line overrides), validated as a whole, unknown keys refused so that
 * a typo never silently falls back to a default. Every key and its default is listed in {@link #DEFAULTS};
 * besides them, {@code kafka.client.<property>} keys pass Kafka client properties (TLS, SASL, timeouts) to
 * every client of the job ({@link #kafkaConnection()}).
 */
public final class PipelineConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Every key with its default value. */
    public static final Map<String, String> DEFAULTS = ConfigDefaults.all();

    private final Map<String, String> values;

    private PipelineConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        // Validate eagerly: every accessor parses, so a bad value fails here with its key named.
        model();
        batchMaxSize();
        batchMaxWait();
        batchLiveWindow();
        idleTimeout();
        maxFrameBytes();
        maxFramePixels();
        maxModelFailures();
        maskThreshold();
        maskMinArea();
        hysteresis();
        checkpointInterval();
        parallelism();
        maxParallelism();
        exactlyOnce();
        startingOffsets();
        stateBackend();
        restartStrategy();
        restartInitialBackoff();
        restartMaxBackoff();
        restartResetAfter();
        createMissingTopics();
        topicSettings();
        kafkaConnection();
        topics();
    }

    /** The defaults with {@code overrides} applied. */
    public static PipelineConfig of(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey()) && !KafkaClientKeys.isClientKey(e.getKey())) {
                throw new IllegalArgumentException("unknown configuration key '" + e.getKey() + "' (known: "
                        + String.join(", ", DEFAULTS.keySet()) + ")");
            }
            v.put(e.getKey(), e.getValue().trim());
        }
        return new PipelineConfig(v);
    }

    /** The defaults, then a properties file, then {@code overrides}. */
    public static PipelineConfig load(Path propertiesFile, Map<String, String> overrides) throws IOException {
        Map<String, String> v = new LinkedHashMap<>();
        if (propertiesFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(propertiesFile)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k)));
        }
        v.putAll(overrides);
        return of(v);
    }

    /**
     * The defaults, then a properties file, then a Kafka client properties file (as {@code kafka.client.*}
     * keys, see {@link KafkaClientKeys#fromClientFile}), then {@code overrides}.
     */
    public static PipelineConfig load(Path propertiesFile, Path kafkaClientFile, Map<String, String> overrides)
            throws IOException {
        Map<String, String> v = new LinkedHashMap<>(KafkaClientKeys.fromClientFile(kafkaClientFile));
        v.putAll(overrides);
        return propertiesFile == null ? of(v) : load(propertiesFile, Map.of()).with(v);
    }

    /** This configuration with more overrides. */
    public PipelineConfig with(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.putAll(overrides);
        return of(v);
    }

    /** This configuration with one more override. */
    public PipelineConfig with(String key, String value) {
        return with(Map.of(key, value));
    }

    /** The raw value of a key. */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown configuration key '" + key + "'");
        }
        return v;
    }

    /** All keys and values, sorted. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The keys of the tree. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** The model settings ({@code model.*}). */
    public ModelConfig model() {
        try {
            return ModelConfig.fromKeys(values::get, ModelConfig.published());
        } catch (IllegalArgumentException e) {
            // ModelConfig speaks of "model size", "neighbour mode"...: name the keys and values it was given.
            StringBuilder given = new StringBuilder();
            values.forEach((k, v) -> {
                if (k.startsWith("model.") && !k.equals("model.weights") && !k.equals("model.id")) {
                    given.append(given.length() == 0 ? "" : ", ")
                            .append(k)
                            .append('=')
                            .append(v);
                }
            });
            throw new IllegalArgumentException("invalid model settings (" + given + "): " + e.getMessage(), e);
        }
    }

    /** The four topics, named by {@code kafka.topics.*}: the one definition every client of this deployment uses. */
    public SaliTopics topics() {
        return SaliTopics.fromKeys(values::get);
    }

    /** The checkpoint to run, or null for untrained weights. */
    public Path weights() {
        String w = get("model.weights");
        return w.isEmpty() ? null : Path.of(w);
    }

    /** Model id written into every mask envelope. */
    public String modelId() {
        return get("model.id");
    }

    /** Most frames per model batch across procedures. */
    public int batchMaxSize() {
        return positive("batch.max-size");
    }

    /** Longest wait for a batch to fill. */
    public Duration batchMaxWait() {
        return duration("batch.max-wait");
    }

    /** A procedure whose last frame is older than this is not waited for when a batch fills. */
    public Duration batchLiveWindow() {
        return duration("batch.live-window");
    }

    /** Time without frames after which a procedure is closed and its state cleared. */
    public Duration idleTimeout() {
        return duration("procedure.idle-timeout");
    }

    /** Largest accepted frame record value, bytes. */
    public int maxFrameBytes() {
        return positive("procedure.max-frame-bytes");
    }

    /** Largest accepted frame in pixels (width x height from the image's header, before decoding). */
    public int maxFramePixels() {
        return positive("procedure.max-frame-pixels");
    }

    /** Model failures in a row after which a procedure is closed. */
    public int maxModelFailures() {
        return positive("procedure.max-model-failures");
    }

    /** Probability threshold of the binary mask (area and boxes). */
    public float maskThreshold() {
        return unit("mask.threshold");
    }

    /** Smallest region reported as a box, pixels. */
    public int maskMinArea() {
        return positive("mask.min-area");
    }

    /** The alert hysteresis. */
    public AlertEvent.Hysteresis hysteresis() {
        try {
            return new AlertEvent.Hysteresis(
                    positive("alerts.appear-k"),
                    positive("alerts.appear-n"),
                    positive("alerts.clear-m"),
                    unit("alerts.threshold"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("alerts.*: " + e.getMessage(), e);
        }
    }

    /** Checkpoint interval. */
    public Duration checkpointInterval() {
        return duration("checkpoint.interval");
    }

    /**
     * Durable checkpoint folder, or null when none is configured (the job then checkpoints into a local
     * temporary folder, see {@code SegmentationJob.flinkConfiguration}).
     */
    public Path checkpointDir() {
        String d = get("checkpoint.dir");
        return d.isEmpty() ? null : Path.of(d);
    }

    /**
     * {@code checkpoint.dir} as a URI for Flink: a value with a scheme ({@code s3://bucket/dir},
     * {@code file:///...}) as it is, a plain path made absolute; null when none is configured.
     */
    public String checkpointUri() {
        String d = get("checkpoint.dir");
        if (d.isEmpty()) {
            return null;
        }
        return d.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")
                ? d
                : Path.of(d).toAbsolutePath().toUri().toString();
    }

    /** Whether the job creates missing topics at start-up (else it refuses to start without them). */
    public boolean createMissingTopics() {
        return oneOf("kafka.topics.create-missing", "true", "false").equals("true");
    }

    /** The settings of topics the job creates when missing: {@code kafka.topics.*} and the frame limit. */
    public TopicSettings topicSettings() {
        try {
            return TopicSettings.defaults()
                    .withPartitions(positive("kafka.topics.partitions"))
                    .withReplication(
                            positive("kafka.topics.replication-factor"), positive("kafka.topics.min-insync-replicas"))
                    .withMaxFrameBytes(maxFrameBytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kafka.topics.*: " + e.getMessage(), e);
        }
    }

    /** The Kafka cluster and the client properties every client of the job uses ({@code kafka.client.*}). */
    public KafkaConnection kafkaConnection() {
        return KafkaClientKeys.connection(values);
    }

    /** Job parallelism. */
    public int parallelism() {
        return positive("job.parallelism");
    }

    /** The most parallelism the job's state can be rescaled to (key groups); fixed for the job's lifetime. */
    public int maxParallelism() {
        int v = positive("job.max-parallelism");
        if (v < parallelism() || v > 32768) {
            throw new IllegalArgumentException(
                    "job.max-parallelism must be within job.parallelism.." + 32768 + ", got " + v);
        }
        return v;
    }

    /** The keyed state backend: hashmap (heap objects) or rocksdb (serialised, incremental checkpoints). */
    public String stateBackend() {
        return oneOf("state.backend", "hashmap", "rocksdb");
    }

    /** Restart strategy after a failure: exponential-delay (Flink's, with reset) or none. */
    public String restartStrategy() {
        return oneOf("restart.strategy", "exponential-delay", "none");
    }

    /** First delay of the exponential-delay restart strategy. */
    public Duration restartInitialBackoff() {
        return duration("restart.initial-backoff");
    }

    /** Longest delay of the exponential-delay restart strategy. */
    public Duration restartMaxBackoff() {
        return duration("restart.max-backoff");
    }

    /** Running this long without a failure resets the delay to its first value. */
    public Duration restartResetAfter() {
        return duration("restart.reset-after");
    }

    /** Whether the sinks are transactional (exactly once) rather than at least once. */
    public boolean exactlyOnce() {
        return oneOf("kafka.delivery", "exactly-once", "at-least-once").equals("exactly-once");
    }

    /** Where the source starts: committed-or-earliest, earliest or latest. */
    public String startingOffsets() {
        return oneOf("kafka.starting-offsets", "committed-or-earliest", "earliest", "latest");
    }

    private String oneOf(String key, String... allowed) {
        return ConfigValues.oneOf(key, get(key), allowed);
    }

    private int positive(String key) {
        return ConfigValues.positive(key, get(key));
    }

    private float unit(String key) {
        return ConfigValues.unit(key, get(key));
    }

    private Duration duration(String key) {
        return ConfigValues.duration(key, get(key));
    }

    /**
     * Parses a duration like {@code 20ms}, {@code 30s}, {@code 5m} (a bare number is milliseconds).
     *
     * @param name named in the error, e.g. the configuration key or option
     * @throws IllegalArgumentException for a malformed, infinite or negative duration
     */
    public static Duration parseDuration(String name, String value) {
        return ConfigValues.duration(name, value);
    }

    /** Every key and value, one per line; secrets ({@code kafka.client.*} passwords, JAAS lines) hidden. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k)
                .append('=')
                .append(KafkaClientKeys.isSecret(k) ? "[hidden]" : v)
                .append('\n'));
        return b.toString();
    }
}
