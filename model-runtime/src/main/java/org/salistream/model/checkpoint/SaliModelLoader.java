package org.salistream.model.checkpoint;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.salistream.model.ModelConfig;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.sali.SaliNetwork;
import org.salistream.model.stage.DjlSaliStages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens SALI models: from a PyTorch checkpoint ({@code .pth}, e.g. the published {@code Net_epoch_best.pth}),
 * from a native checkpoint folder, or with untrained (randomly initialised) weights. The network lives on
 * DJL's default device: a GPU where DJL's PyTorch engine finds one, else the CPU.
 */
public final class SaliModelLoader {

    /** The published model class name, used in PyTorch-style error messages. */
    public static final String MODEL_NAME = "VideoModel";
    /** Key prefix of the PVTv2 encoder inside a SALI state dict. */
    public static final String ENCODER_PREFIX = "backbone.feat_net.pvtv2_en.";

    private static final Logger LOG = LoggerFactory.getLogger(SaliModelLoader.class);

    private SaliModelLoader() {}

    /** The seed of {@link #untrained(ModelConfig)}: untrained weights are the same on every run. */
    public static final long UNTRAINED_SEED = 2024;

    /**
     * A network of the configuration's backbone with random parameters in {@code manager}, drawn as the
     * published code initialises them ({@link TorchInitializer}).
     */
    public static SaliNetwork newNetwork(ModelConfig config, NDManager manager, long seed) {
        SaliNetwork net = new SaliNetwork(config.backbone());
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, config.size(), config.size()));
        TorchInitializer.initialize(net, seed);
        return net;
    }

    /**
     * Opens stages with weights from {@code weights}: a {@code .pth} file, or a native checkpoint folder
     * (or its {@code model.json}).
     *
     * @throws CheckpointException when the file is unreadable or holds another architecture
     */
    public static DjlSaliStages open(Path weights, ModelConfig config) throws CheckpointException {
        NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice());
        try {
            SaliNetwork net = new SaliNetwork(config.backbone());
            if (NativeCheckpoint.isNative(weights)) {
                NativeCheckpoint.load(NativeCheckpoint.folder(weights), net, config, manager);
            } else {
                // Read and check the file before allocating the network, so that a wrong file fails fast.
                StateDict sd = readPth(weights, config);
                StateDictMismatch.between(StateDictMapper.expectedShapes(net), sd.shapes())
                        .requireLoadable(MODEL_NAME, true);
                net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, config.size(), config.size()));
                StateDictMapper.load(net, sd, true, MODEL_NAME);
            }
            LOG.info("Loaded SALI {} from {} on {}", config, weights, manager.getDevice());
            return new DjlSaliStages(config, net, manager, true);
        } catch (CheckpointException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Opens stages with untrained weights (the published initialisation, {@link #UNTRAINED_SEED}); say so to the user. */
    public static DjlSaliStages untrained(ModelConfig config) {
        return untrained(config, UNTRAINED_SEED);
    }

    /** Opens stages with untrained weights drawn with {@code seed}. */
    public static DjlSaliStages untrained(ModelConfig config, long seed) {
        NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice());
        return new DjlSaliStages(config, newNetwork(config, manager, seed), manager, true);
    }

    /**
     * Loads a full SALI state dict ({@code .pth}) into an initialised network, strictly; a DataParallel
     * {@code module.} prefix is accepted.
     */
    public static void loadPth(Path file, SaliNetwork net, ModelConfig config) throws CheckpointException {
        StateDictMapper.load(net, readPth(file, config), true, MODEL_NAME);
    }

    /**
     * Reads a full SALI state dict and checks that it is one, for the configuration's backbone.
     *
     * @throws CheckpointException naming both backbones when the file holds another one
     */
    private static StateDict readPth(Path file, ModelConfig config) throws CheckpointException {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file + ": a folder without " + NativeCheckpoint.METADATA
                    + " (not a native checkpoint; give a .pth file or a folder written by SALI Stream)");
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file + ": no such checkpoint file");
        }
        StateDict sd = TorchCheckpoint.loadStateDict(file).stripDataParallelPrefix();
        Optional<PvtV2Config> found = BackboneDetector.detect(sd, ENCODER_PREFIX);
        if (found.isPresent() && !found.get().equals(config.backbone())) {
            throw new CheckpointException(
                    file + ": checkpoint holds a " + found.get().name() + " SALI model but "
                            + config.backbone().name() + " was requested (--backbone / model.backbone)");
        }
        if (found.isEmpty() && !sd.keys().stream().anyMatch(k -> k.startsWith(ENCODER_PREFIX))) {
            throw new CheckpointException(file + ": not a SALI checkpoint (no " + ENCODER_PREFIX + "* keys; for an"
                    + " encoder-only file such as pvt_v2_b5.pth use it as pretrained backbone for training)");
        }
        return sd;
    }

    /**
     * Loads encoder-only weights (the published {@code pvt_v2_b5.pth}, keys {@code patch_embed1.proj.weight}
     * ...) into the network's PVTv2 encoder, as the published {@code load_model} does: keys the encoder does
     * not have (the classification {@code head}) are skipped; missing ones are reported.
     *
     * @return what differed
     */
    public static StateDictMismatch loadEncoder(Path file, SaliNetwork net) throws CheckpointException {
        StateDict sd = TorchCheckpoint.loadStateDict(file).stripDataParallelPrefix();
        if (sd.keys().stream().anyMatch(k -> k.startsWith(ENCODER_PREFIX))) {
            sd = sd.selectPrefix(ENCODER_PREFIX);
        }
        Optional<PvtV2Config> found = BackboneDetector.detect(sd, "");
        if (found.isPresent() && !found.get().equals(net.config())) {
            throw new CheckpointException(file + ": encoder weights are "
                    + found.get().name() + " but the network is " + net.config().name());
        }
        StateDictMismatch m =
                StateDictMapper.load(net.backbone().featNet().encoder(), sd, false, "PyramidVisionTransformerV2");
        if (!m.missingKeys().isEmpty()) {
            LOG.warn(
                    "Encoder weights {} lack {} keys, e.g. {}",
                    file,
                    m.missingKeys().size(),
                    m.missingKeys().get(0));
        }
        return m;
    }
}
