package org.salistream.model.sali;

import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.pvt.PvtV2Config;

/**
 * The image network the published {@code VideoModel} calls {@code backbone} ({@code Network} of
 * {@code lib/pvtv2_afterRFB.py}): the frame encoder {@code feat_net} and the {@code decoder}. SALI runs them
 * apart, with its short- and long-term modules in between.
 */
public final class SaliBackbone extends SaliBlock {

    private final FeatureExtraction featNet;
    private final SaliDecoder decoder;

    /** The backbone for an encoder configuration and {@code channel}-channel features. */
    public SaliBackbone(PvtV2Config config, int channel) {
        featNet = addChildBlock("feat_net", new FeatureExtraction(config, channel));
        decoder = addChildBlock("decoder", new SaliDecoder(channel));
    }

    /** The frame encoder. */
    public FeatureExtraction featNet() {
        return featNet;
    }

    /** The decoder. */
    public SaliDecoder decoder() {
        return decoder;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return decoder.forward(ps, featNet.forward(ps, inputs.singletonOrThrow(), training), training);
    }
}
