package org.salistream.model.cli;

import java.nio.file.Path;
import org.salistream.model.ModelConfig;
import org.salistream.model.NeighborMode;
import org.salistream.model.checkpoint.CheckpointException;
import org.salistream.model.checkpoint.CheckpointMetadata;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.checkpoint.ShippedModel;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.stage.DjlSaliStages;
import picocli.CommandLine.Option;

/**
 * The model options shared by the commands that run SALI ({@code segment}, {@code bench model}, and the
 * pipeline's {@code run} and {@code demo}): weights and the published settings as defaults.
 */
public final class ModelOptions {

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "Checkpoint: a PyTorch .pth (e.g. the published Net_epoch_best.pth), a native"
                    + " checkpoint folder (model.json + model.params), or 'untrained' for random weights"
                    + " (default: the shipped model " + ShippedModel.FOLDER + ").")
    Path weights;

    @Option(
            names = "--backbone",
            paramLabel = "NAME",
            description = "Encoder: pvt_v2_b0 .. pvt_v2_b5 (default: the native checkpoint's, else pvt_v2_b5 as"
                    + " published).")
    String backbone;

    @Option(
            names = "--size",
            description = "Model input size, a multiple of 32 and at least 256 (default: the native checkpoint's,"
                    + " else 352).")
    Integer size;

    @Option(
            names = "--mem-freq",
            defaultValue = "5",
            description = "Write the memory every N frames (default: ${DEFAULT-VALUE}).")
    int memFreq;

    @Option(
            names = "--mem-length",
            defaultValue = "35",
            description = "Frames the memory holds before usage-based removal (default: ${DEFAULT-VALUE}).")
    int memLength;

    @Option(
            names = "--top-k",
            defaultValue = "20",
            description = "Affinities kept per position in the memory read (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--neighbor",
            defaultValue = "next",
            description = "Short-term neighbour: next (published, one frame of latency) or previous (causal)"
                    + " (default: ${DEFAULT-VALUE}).")
    String neighbor;

    /**
     * The model configuration these options describe for {@code weights} (resolved; null for untrained): the
     * backbone and size given, else those a native checkpoint was trained with, else the published ones.
     */
    public ModelConfig config(Path resolved) throws CheckpointException {
        ModelConfig published = ModelConfig.published();
        String b = backbone;
        Integer s = size;
        if (resolved != null && NativeCheckpoint.isNative(resolved)) {
            CheckpointMetadata meta = NativeCheckpoint.readMetadata(NativeCheckpoint.folder(resolved));
            b = b == null ? meta.backbone() : b;
            s = s == null ? Integer.valueOf(meta.inputSize()) : s;
        }
        return published
                .withBackbone(b == null ? published.backbone() : PvtV2Config.named(b))
                .withSize(s == null ? published.size() : s)
                .withMemory(memFreq, memLength, topK)
                .withNeighbor(NeighborMode.parse(neighbor));
    }

    /** The weights to run: {@code --weights}, else the shipped model; null for {@code --weights untrained}. */
    public Path resolvedWeights() {
        return ShippedModel.resolve(weights);
    }

    /**
     * Opens the model: {@code --weights}, else the shipped model; untrained only with {@code --weights untrained}.
     *
     * @throws CheckpointException when the weights are unreadable, for another architecture, or do not match
     *     their model card
     * @throws IllegalArgumentException when no weights are given and the shipped model is not there
     */
    public DjlSaliStages open() throws CheckpointException {
        Path w = resolvedWeights();
        ModelConfig c = config(w);
        return w == null ? SaliModelLoader.untrained(c) : SaliModelLoader.open(w, c);
    }
}
