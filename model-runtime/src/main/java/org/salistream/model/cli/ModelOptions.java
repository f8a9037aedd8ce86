package org.salistream.model.cli;

import java.nio.file.Path;
import org.salistream.model.checkpoint.CheckpointException;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ModelConfig;
import org.salistream.model.stage.NeighborMode;
import org.salistream.model.weights.SaliModelLoader;
import picocli.CommandLine.Option;

/**
 * The model options shared by the commands that run SALI ({@code segment}, {@code bench model}, and the
 * pipeline's {@code run} and {@code demo}): weights and the published settings as defaults.
 */
public final class ModelOptions {

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Checkpoint: a PyTorch .pth (e.g. the published Net_epoch_best.pth) or a native"
                    + " checkpoint folder (model.json + model.params).")
    Path weights;

    @Option(names = "--backbone", paramLabel = "NAME", defaultValue = "pvt_v2_b5",
            description = "Encoder: pvt_v2_b0 .. pvt_v2_b5 (default: ${DEFAULT-VALUE}, as published).")
    String backbone;

    @Option(names = "--size", defaultValue = "352",
            description = "Model input size, a multiple of 32 and at least 256 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--mem-freq", defaultValue = "5",
            description = "Write the memory every N frames (default: ${DEFAULT-VALUE}).")
    int memFreq;

    @Option(names = "--mem-length", defaultValue = "35",
            description = "Frames the memory holds before usage-based removal (default: ${DEFAULT-VALUE}).")
    int memLength;

    @Option(names = "--top-k", defaultValue = "20",
            description = "Affinities kept per position in the memory read (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--neighbor", defaultValue = "next",
            description = "Short-term neighbour: next (published, one frame of latency) or previous (causal)"
                    + " (default: ${DEFAULT-VALUE}).")
    String neighbor;

    /** The model configuration these options describe. */
    public ModelConfig config() {
        return ModelConfig.published().withBackbone(PvtV2Config.named(backbone)).withSize(size)
                .withMemory(memFreq, memLength, topK).withNeighbor(NeighborMode.parse(neighbor));
    }

    /** The weights path, or null. */
    public Path weights() {
        return weights;
    }

    /**
     * Opens the model: the weights when given, else untrained weights when {@code allowUntrained}.
     *
     * @throws CheckpointException when the weights are unreadable or for another architecture
     * @throws IllegalArgumentException when no weights are given and untrained weights are not allowed
     */
    public DjlSaliStages open(boolean allowUntrained) throws CheckpointException {
        if (weights == null) {
            if (!allowUntrained) {
                throw new IllegalArgumentException("--weights is required (a .pth file or a native checkpoint folder)");
            }
            return SaliModelLoader.untrained(config());
        }
        return SaliModelLoader.open(weights, config());
    }
}
