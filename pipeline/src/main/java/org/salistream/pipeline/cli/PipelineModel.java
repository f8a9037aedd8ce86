package org.salistream.pipeline.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salistream.model.checkpoint.CheckpointMetadata;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.checkpoint.ShippedModel;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.pipeline.config.PipelineConfig;

/**
 * Which model {@code sali run} and {@code sali demo} run, decided and checked before anything starts: the
 * {@code --weights} given ({@code untrained} for random weights), else {@code model.weights} of the
 * configuration, else the shipped model ({@link ShippedModel}). A native checkpoint brings its backbone and
 * size unless the configuration sets them. The weights are checked here (metadata, checksum, model card, or
 * for a {@code .pth} a full load), so a bad file is one line at the command, not a failing Flink job.
 *
 * @param config the job's configuration with the model keys filled in
 * @param description what the command prints about the model
 */
public record PipelineModel(PipelineConfig config, String description) {

    /**
     * Resolves and checks the model.
     *
     * @param weights {@code --weights}, or null
     * @param configFile {@code --config}, or null
     * @param keys the command's keys ({@code --set} and its own), applied over the file
     * @throws IOException when the weights are missing, unreadable, of another backbone, or do not match their
     *     model card; IllegalArgumentException when no weights are given and the shipped model is not here
     */
    public static PipelineModel resolve(Path weights, Path configFile, Map<String, String> keys) throws IOException {
        return resolve(weights, configFile, null, keys);
    }

    /**
     * Resolves and checks the model of a job whose Kafka clients also read {@code --kafka-config}.
     *
     * @param kafkaClientFile {@code --kafka-config} (Kafka client properties), or null
     */
    public static PipelineModel resolve(Path weights, Path configFile, Path kafkaClientFile, Map<String, String> keys)
            throws IOException {
        Map<String, String> k = new LinkedHashMap<>(keys);
        PipelineConfig given = PipelineConfig.load(configFile, kafkaClientFile, k);
        PipelineConfig defaults = PipelineConfig.of(Map.of());
        Path w;
        if (weights != null) {
            w = ShippedModel.resolve(weights);
        } else if (given.weights() != null) {
            w = given.weights();
        } else {
            w = ShippedModel.resolve(null);
        }
        k.put("model.weights", w == null ? "" : w.toString());
        if (w != null && NativeCheckpoint.isNative(w)) {
            CheckpointMetadata meta = NativeCheckpoint.readMetadata(NativeCheckpoint.folder(w));
            if (given.get("model.backbone").equals(defaults.get("model.backbone"))) {
                k.put("model.backbone", meta.backbone());
            }
            if (given.get("model.size").equals(defaults.get("model.size"))) {
                k.put("model.size", Integer.toString(meta.inputSize()));
            }
        }
        PipelineConfig config = PipelineConfig.load(configFile, kafkaClientFile, k);
        if (w != null) {
            if (NativeCheckpoint.isNative(w)) {
                NativeCheckpoint.verify(NativeCheckpoint.folder(w), config.model());
            } else {
                try (DjlSaliStages s = SaliModelLoader.open(w, config.model())) {
                    s.config(); // a full load is the check of a .pth
                }
            }
        }
        return new PipelineModel(config, config.model() + ", " + ShippedModel.describe(w));
    }
}
