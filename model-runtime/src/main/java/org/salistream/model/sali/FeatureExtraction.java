package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.profile.Sections;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.pvt.PyramidVisionTransformerV2;

/**
 * SALI's frame encoder ({@code backbone.feat_net} of the published model): the PVTv2 encoder
 * ({@code pvtv2_en}) and an RFB on each of its last three stages ({@code rfb2_1}, {@code rfb3_1},
 * {@code rfb4_1}), giving three {@code channel}-channel maps at 1/8, 1/16 and 1/32 of the frame.
 */
public final class FeatureExtraction extends SaliBlock {

    private final PyramidVisionTransformerV2 encoder;
    private final RfbModified rfb2;
    private final RfbModified rfb3;
    private final RfbModified rfb4;

    /** The encoder for a PVTv2 configuration; the RFB inputs follow its stage widths. */
    public FeatureExtraction(PvtV2Config config, int channel) {
        encoder = addChildBlock("pvtv2_en", new PyramidVisionTransformerV2(config));
        int[] dims = config.embedDims();
        rfb2 = addChildBlock("rfb2_1", new RfbModified(dims[1], channel));
        rfb3 = addChildBlock("rfb3_1", new RfbModified(dims[2], channel));
        rfb4 = addChildBlock("rfb4_1", new RfbModified(dims[3], channel));
    }

    /** The PVTv2 encoder. */
    public PyramidVisionTransformerV2 encoder() {
        return encoder;
    }

    /**
     * Encodes normalised frames.
     *
     * @param x (B, 3, S, S)
     * @return three maps (B, 32, S/8, S/8), (B, 32, S/16, S/16), (B, 32, S/32, S/32)
     */
    public NDList forward(ParameterStore ps, NDArray x, boolean training) {
        NDList stages = encoder.forward(ps, x, training);
        return new NDList(
                rfb(rfb2, "rfb 1/8", ps, stages.get(1), training), // (B, 32, S/8, S/8)
                rfb(rfb3, "rfb 1/16", ps, stages.get(2), training), // (B, 32, S/16, S/16)
                rfb(rfb4, "rfb 1/32", ps, stages.get(3), training)); // (B, 32, S/32, S/32)
    }

    private static NDArray rfb(RfbModified rfb, String name, ParameterStore ps, NDArray x, boolean training) {
        try (Sections.Section s = Sections.open(name)) {
            return rfb.forward(ps, x, training);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forward(ps, inputs.singletonOrThrow(), training);
    }
}
