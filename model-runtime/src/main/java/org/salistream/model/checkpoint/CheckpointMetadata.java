package org.salistream.model.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import org.salistream.model.ModelConfig;
import org.salistream.model.pvt.PvtV2Config;

/**
 * The metadata file ({@code model.json}) of a native checkpoint: what the weights are for, how inputs are
 * normalised, the memory settings they were validated with, where they came from, and the SHA-256 of the
 * weights file, so that a checkpoint is never run under the wrong architecture or with corrupted weights.
 *
 * @param format always {@value #FORMAT}
 * @param formatVersion the metadata version, {@value #VERSION}
 * @param architecture always {@value #ARCHITECTURE}
 * @param backbone PVTv2 configuration name, e.g. {@code pvt_v2_b5}
 * @param inputSize the model input size S
 * @param channel feature channels (32)
 * @param mean RGB normalisation mean
 * @param std RGB normalisation std
 * @param memFreq memory write frequency
 * @param memLength memory length
 * @param topK top-k of the memory read
 * @param provenance free-form: source file, trainer settings, epochs, validation scores, creation time
 * @param weightsFile the parameters file name, relative to the metadata file
 * @param sha256 hex SHA-256 of the parameters file
 * @param bytes size of the parameters file
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckpointMetadata(
        String format,
        int formatVersion,
        String architecture,
        String backbone,
        int inputSize,
        int channel,
        List<Float> mean,
        List<Float> std,
        int memFreq,
        int memLength,
        int topK,
        Map<String, Object> provenance,
        String weightsFile,
        String sha256,
        long bytes) {

    /** The format name. */
    public static final String FORMAT = "sali-stream-checkpoint";
    /** The metadata version this build writes and reads. */
    public static final int VERSION = 1;
    /** The architecture name. */
    public static final String ARCHITECTURE = "SALI";

    /** Metadata for a model configuration. */
    public static CheckpointMetadata of(
            ModelConfig c, Map<String, Object> provenance, String weightsFile, String sha256, long bytes) {
        return new CheckpointMetadata(
                FORMAT,
                VERSION,
                ARCHITECTURE,
                c.backbone().name(),
                c.size(),
                32,
                floats(c.mean()),
                floats(c.std()),
                c.memFreq(),
                c.memLength(),
                c.topK(),
                provenance,
                weightsFile,
                sha256,
                bytes);
    }

    /** The model configuration this checkpoint was written with (neighbour mode: next). */
    public ModelConfig toModelConfig(ModelConfig defaults) {
        return new ModelConfig(
                PvtV2Config.named(backbone),
                inputSize,
                memFreq,
                memLength,
                topK,
                toArray(mean),
                toArray(std),
                defaults.neighbor());
    }

    private static List<Float> floats(float[] a) {
        return List.of(a[0], a[1], a[2]);
    }

    private static float[] toArray(List<Float> l) {
        return new float[] {l.get(0), l.get(1), l.get(2)};
    }
}
