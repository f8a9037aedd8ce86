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
import org.salistream.kafka.Topics;
import org.salistream.model.stage.ModelConfig;

/**
 * The segmentation job's configuration: an immutable tree built once at the entry point from dash-case
 * keys (a properties file, then command-line overrides), validated as a whole, unknown keys refused so that
 * a typo never silently falls back to a default. Every key and its default is listed in {@link #DEFAULTS}.
 */
public final class PipelineConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Every key with its default value. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kafka.bootstrap-servers", "127.0.0.1:9092");
        d.put("kafka.group-id", "sali-segmentation");
        d.put("kafka.transactional-id-prefix", "sali-segmentation");
        d.put("kafka.topics.frames", Topics.FRAMES);
        d.put("kafka.topics.masks", Topics.MASKS);
        d.put("kafka.topics.alerts", Topics.ALERTS);
        d.put("kafka.topics.dlq", Topics.FRAMES_DLQ);
        d.put("kafka.starting-offsets", "committed-or-earliest");
        d.put("kafka.delivery", "exactly-once");
        d.put("model.weights", "");
        d.put("model.id", "sali");
        ModelConfig.published().toKeys().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> d.put(e.getKey(), e.getValue()));
        d.put("batch.max-size", "4");
        d.put("batch.max-wait", "20ms");
        d.put("procedure.idle-timeout", "30s");
        d.put("procedure.max-frame-bytes", Integer.toString(8 * 1024 * 1024));
        d.put("mask.threshold", "0.5");
        d.put("mask.min-area", "16");
        // Chosen for the shipped model on its training procedures by `sali bench alerts` (README: detection).
        d.put("alerts.appear-k", "4");
        d.put("alerts.appear-n", "7");
        d.put("alerts.clear-m", "2");
        d.put("alerts.threshold", "0.98");
        d.put("checkpoint.interval", "2s");
        d.put("checkpoint.dir", "");
        d.put("job.name", "SALI segmentation");
        d.put("job.parallelism", "1");
        d.put("testing.fail-once-after-frames", "0");
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private final Map<String, String> values;

    private PipelineConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        // Validate eagerly: every accessor parses, so a bad value fails here with its key named.
        model();
        batchMaxSize();
        batchMaxWait();
        idleTimeout();
        maxFrameBytes();
        maskThreshold();
        maskMinArea();
        hysteresis();
        checkpointInterval();
        parallelism();
        exactlyOnce();
        startingOffsets();
        failOnceAfterFrames();
    }

    /** The defaults with {@code overrides} applied. */
    public static PipelineConfig of(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) {
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
                    given.append(given.length() == 0 ? "" : ", ").append(k).append('=').append(v);
                }
            });
            throw new IllegalArgumentException("invalid model settings (" + given + "): " + e.getMessage(), e);
        }
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

    /** Time without frames after which a procedure is closed and its state cleared. */
    public Duration idleTimeout() {
        return duration("procedure.idle-timeout");
    }

    /** Largest accepted frame record value, bytes. */
    public int maxFrameBytes() {
        return positive("procedure.max-frame-bytes");
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
            return new AlertEvent.Hysteresis(positive("alerts.appear-k"), positive("alerts.appear-n"),
                    positive("alerts.clear-m"), unit("alerts.threshold"));
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

    /** Recovery drill: fail once after this many frames (0: never). */
    public long failOnceAfterFrames() {
        try {
            long v = Long.parseLong(get("testing.fail-once-after-frames"));
            if (v < 0) {
                throw new IllegalArgumentException("testing.fail-once-after-frames must be >= 0, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("testing.fail-once-after-frames must be an integer", e);
        }
    }

    /** Job parallelism. */
    public int parallelism() {
        return positive("job.parallelism");
    }

    /** Whether the sinks are transactional (exactly once) rather than at least once. */
    public boolean exactlyOnce() {
        String d = get("kafka.delivery");
        if (!d.equals("exactly-once") && !d.equals("at-least-once")) {
            throw new IllegalArgumentException("kafka.delivery must be exactly-once or at-least-once, got '" + d + "'");
        }
        return d.equals("exactly-once");
    }

    /** Where the source starts: committed-or-earliest, earliest or latest. */
    public String startingOffsets() {
        String s = get("kafka.starting-offsets");
        if (!Set.of("committed-or-earliest", "earliest", "latest").contains(s)) {
            throw new IllegalArgumentException(
                    "kafka.starting-offsets must be committed-or-earliest, earliest or latest, got '" + s + "'");
        }
        return s;
    }

    private int positive(String key) {
        try {
            int v = Integer.parseInt(get(key));
            if (v <= 0) {
                throw new IllegalArgumentException(key + " must be positive, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + get(key) + "'", e);
        }
    }

    private float unit(String key) {
        try {
            float v = Float.parseFloat(get(key));
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException(key + " must be within [0, 1], got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + get(key) + "'", e);
        }
    }

    /** Parses durations like {@code 20ms}, {@code 30s}, {@code 5m} (a bare number is milliseconds); never negative. */
    private Duration duration(String key) {
        return parseDuration(key, get(key));
    }

    /**
     * Parses a duration like {@code 20ms}, {@code 30s}, {@code 5m} (a bare number is milliseconds).
     *
     * @param name named in the error, e.g. the configuration key or option
     * @throws IllegalArgumentException for a malformed, infinite or negative duration
     */
    public static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        Duration d;
        try {
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            } else if (v.endsWith("s")) {
                double seconds = Double.parseDouble(v.substring(0, v.length() - 1).trim());
                if (!Double.isFinite(seconds)) {
                    throw new NumberFormatException("not finite");
                }
                d = Duration.ofMillis(Math.round(seconds * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            } else {
                d = Duration.ofMillis(Long.parseLong(v));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a duration like 20ms, 30s or 5m, got '" + value + "'", e);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got '" + value + "'");
        }
        return d;
    }


    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }
}
