package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.BatchNorm2dLayer;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.profile.Sections;
import org.salistream.model.pvt.PvtV2Config;

/**
 * SALI, the Short-term Alignment and Long-term Interaction network (Xu et al., MICCAI 2024), as the
 * published {@code VideoModel}: children {@code backbone} (encoder and decoder), {@code nlnet} (short-term
 * fusion), {@code pcd_align} (short-term alignment, SAM) and {@code membranch} (long-term keys/values, LIM).
 * The memory bank itself is not a module: it is state, kept outside the network (see
 * {@code org.salistream.model.memory}) so that a stream processor can hold it per procedure.
 *
 * <p>The forward pass of one frame ({@code val_longshort}) is split here into the steps a streaming
 * system needs separately: {@link #encode} (once per frame), {@link #project} (memory keys/values),
 * then, after the memory readout, {@link #alignAndDecode}.
 */
public final class SaliNetwork extends SaliBlock {

    /** Feature channels after the RFBs ({@code channel} in the published code). */
    public static final int CHANNEL = 32;
    /** Deformable groups of the PCD alignment. */
    public static final int DEFORMABLE_GROUPS = 8;

    private final PvtV2Config config;
    private final SaliBackbone backbone;
    private final NonLocalNet nlnet;
    private final PcdAlignment pcdAlign;
    private final MemBranch membranch;

    /** The network with a PVTv2 encoder of the given configuration. */
    public SaliNetwork(PvtV2Config config) {
        this.config = config;
        backbone = addChildBlock("backbone", new SaliBackbone(config, CHANNEL));
        nlnet = addChildBlock("nlnet", new NonLocalNet(CHANNEL));
        pcdAlign = addChildBlock("pcd_align", new PcdAlignment(CHANNEL, DEFORMABLE_GROUPS));
        membranch = addChildBlock("membranch", new MemBranch(CHANNEL));
        freezeBackboneBatchNorm();
    }

    /** The published {@code freeze_bn()}: the backbone's BatchNorm layers stay in eval mode in training. */
    private void freezeBackboneBatchNorm() {
        ParameterPaths.blocks(backbone, BatchNorm2dLayer.class).values().forEach(bn -> bn.setFrozen(true));
    }

    /** The encoder configuration. */
    public PvtV2Config config() {
        return config;
    }

    /** The backbone (encoder and decoder). */
    public SaliBackbone backbone() {
        return backbone;
    }

    /**
     * Encodes normalised frames ({@code backbone.feat_net}).
     *
     * @param images (B, 3, S, S)
     * @return (B, 32, S/8, S/8), (B, 32, S/16, S/16), (B, 32, S/32, S/32)
     */
    public NDList encode(ParameterStore ps, NDArray images, boolean training) {
        return backbone.featNet().forward(ps, images, training);
    }

    /**
     * Projects features to memory keys and values ({@code membranch}).
     *
     * @return keys (B, 4, h_i, w_i) x3, then values (B, 16, h_i, w_i) x3
     */
    public NDList project(ParameterStore ps, NDList features, boolean training) {
        return membranch.forward(ps, features, training);
    }

    /**
     * The short-term part and the decoder: aligns the memory readout and the neighbour to the current
     * frame (PCD), fuses them (non-local), and decodes.
     *
     * @param readout memory readouts (B, 32, h_i, w_i) x3
     * @param current the current frame's features
     * @param neighbour the neighbouring frame's features
     */
    public ShortTermOutputs alignAndDecode(
            ParameterStore ps, NDList readout, NDList current, NDList neighbour, boolean training) {
        // The published model aligns the readout and the neighbour to the same reference with the same module,
        // one after the other; here both go through it at once, stacked along the batch (the same numbers,
        // half the calls, products twice as large).
        NDList alignMem = new NDList(3);
        NDList alignNbr = new NDList(3);
        try (Sections.Section s = Sections.open("align memory + neighbour")) {
            NDList both = new NDList(3);
            NDList refs = new NDList(3);
            for (int i = 0; i < 3; i++) {
                both.add(NDArrays.concat(new NDList(readout.get(i), neighbour.get(i)), 0)); // (2B, C, h, w)
                refs.add(NDArrays.concat(new NDList(current.get(i), current.get(i)), 0)); // (2B, C, h, w)
            }
            long b = current.get(0).getShape().get(0);
            for (NDArray a : pcdAlign.forward(ps, both, refs, training)) {
                alignMem.add(a.get("0:" + b)); // (B, C, h, w)
                alignNbr.add(a.get(b + ":")); // (B, C, h, w)
            }
        }
        NDList fused = nlnet.forward(ps, alignMem, alignNbr, training);
        NDList maps = backbone.decoder().forward(ps, fused, training);
        return new ShortTermOutputs(alignMem, alignNbr, fused, maps);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException(
                "SALI runs in steps with a memory bank: use SaliStages (org.salistream.model.stage)");
    }

    /**
     * What {@link #alignAndDecode} computes.
     *
     * @param alignMem the aligned memory readout pyramid
     * @param alignNbr the aligned neighbour pyramid
     * @param fused the non-local fusion
     * @param maps S_g (1/8), S_5 (1/32), S_4 (1/16), S_3 (1/8), before upsampling
     */
    public record ShortTermOutputs(NDList alignMem, NDList alignNbr, NDList fused, NDList maps) {

        /** The decoder's {@code Ss}: S_5, S_4, S_3. */
        public NDList ss() {
            return new NDList(maps.get(1), maps.get(2), maps.get(3));
        }

        /** The memory masks, {@code Ss} reversed: S_3 (1/8), S_4 (1/16), S_5 (1/32). */
        public NDList memoryMasks() {
            return new NDList(maps.get(3), maps.get(2), maps.get(1));
        }
    }
}
