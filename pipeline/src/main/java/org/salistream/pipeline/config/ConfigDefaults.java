package org.salistream.pipeline.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salistream.kafka.SaliTopics;
import org.salistream.kafka.TopicSettings;
import org.salistream.model.ModelConfig;

/**
 * Every key of {@link PipelineConfig} with its default, in the order the README's configuration table lists
 * them. Kept apart from the tree's accessors so that adding a key is one line here plus one accessor there.
 */
final class ConfigDefaults {

    private ConfigDefaults() {}

    /** The keys and defaults, unmodifiable. */
    static Map<String, String> all() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kafka.bootstrap-servers", "127.0.0.1:9092");
        d.put("kafka.group-id", "sali-segmentation");
        d.put("kafka.transactional-id-prefix", "sali-segmentation");
        d.putAll(SaliTopics.defaults().toKeys());
        // Used only to create missing topics; existing topics are never altered (sali topics --apply does that).
        d.put("kafka.topics.create-missing", "true");
        d.put(
                "kafka.topics.partitions",
                Integer.toString(TopicSettings.defaults().partitions()));
        d.put("kafka.topics.replication-factor", "1");
        d.put("kafka.topics.min-insync-replicas", "1");
        d.put("kafka.starting-offsets", "committed-or-earliest");
        d.put("kafka.delivery", "exactly-once");
        d.put("model.weights", "");
        d.put("model.id", "sali");
        ModelConfig.published().toKeys().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> d.put(e.getKey(), e.getValue()));
        d.put("batch.max-size", "4");
        d.put("batch.max-wait", "20ms");
        d.put("batch.live-window", "1s");
        d.put("procedure.idle-timeout", "30s");
        d.put("procedure.max-frame-bytes", Integer.toString(8 * 1024 * 1024));
        d.put("procedure.max-frame-pixels", Integer.toString(4096 * 4096));
        d.put("procedure.max-model-failures", "3");
        d.put("mask.threshold", "0.5");
        d.put("mask.min-area", "16");
        // Chosen for the shipped model on its training procedures by `sali bench alerts` (README: detection).
        d.put("alerts.appear-k", "3");
        d.put("alerts.appear-n", "3");
        d.put("alerts.clear-m", "2");
        d.put("alerts.threshold", "0.99");
        d.put("checkpoint.interval", "2s");
        d.put("checkpoint.dir", "");
        d.put("state.backend", "hashmap");
        d.put("restart.strategy", "exponential-delay");
        d.put("restart.initial-backoff", "1s");
        d.put("restart.max-backoff", "1m");
        d.put("restart.reset-after", "10m");
        d.put("job.name", "SALI segmentation");
        d.put("job.parallelism", "1");
        d.put("job.max-parallelism", "128");
        return Collections.unmodifiableMap(d);
    }
}
