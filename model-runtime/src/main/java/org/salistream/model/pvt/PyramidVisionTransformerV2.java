package org.salistream.model.pvt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.LayerNormLayer;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.nn.TorchSequential;
import org.salistream.model.profile.Sections;

/**
 * The PVTv2 encoder without its classification head ({@code PyramidVisionTransformerV2.forward_features}
 * of the published {@code lib/pvt_v2.py}): four stages of {@code patch_embed{i}}, {@code block{i}} (a list of
 * {@link PvtBlock}) and {@code norm{i}}, returning the four feature maps at 1/4, 1/8, 1/16 and 1/32.
 */
public final class PyramidVisionTransformerV2 extends SaliBlock {

    private final PvtV2Config config;
    private final OverlapPatchEmbed[] embeds;
    private final TorchSequential[] blocks;
    private final LayerNormLayer[] norms;

    /** The encoder of a configuration, on 3-channel images. */
    public PyramidVisionTransformerV2(PvtV2Config config) {
        this.config = config;
        int n = config.stages();
        embeds = new OverlapPatchEmbed[n];
        blocks = new TorchSequential[n];
        norms = new LayerNormLayer[n];
        for (int i = 0; i < n; i++) {
            int dim = config.embedDims()[i];
            embeds[i] = addChildBlock(
                    "patch_embed" + (i + 1),
                    new OverlapPatchEmbed(i == 0 ? 3 : config.embedDims()[i - 1], dim, i == 0 ? 7 : 3, i == 0 ? 4 : 2));
            TorchSequential list = new TorchSequential();
            for (int j = 0; j < config.depths()[i]; j++) {
                list.add(new PvtBlock(dim, config.numHeads()[i], config.mlpRatios()[i], config.srRatios()[i]));
            }
            blocks[i] = addChildBlock("block" + (i + 1), list);
            norms[i] = addChildBlock("norm" + (i + 1), new LayerNormLayer(dim, PvtV2Config.LAYER_NORM_EPS));
        }
    }

    /** The configuration. */
    public PvtV2Config config() {
        return config;
    }

    /**
     * Enables stochastic depth for training with the published rule: the rate grows linearly from 0 at the
     * first block to {@code rate} at the last (SALI's encoder uses {@code drop_path_rate=0.3}); 0 disables it.
     * Inference is never affected.
     *
     * @param draws the generator the trainer reseeds every step
     */
    public void setDropPath(double rate, StochasticDepth draws) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("drop-path rate must be in [0, 1), got " + rate);
        }
        double[] rates = StochasticDepth.rates(
                rate, java.util.Arrays.stream(config.depths()).sum());
        int k = 0;
        for (TorchSequential stage : blocks) {
            for (int j = 0; j < stage.size(); j++) {
                PvtBlock b = stage.get(j);
                b.setDropPath(rates[k++], draws);
            }
        }
    }

    /**
     * Encodes normalised images.
     *
     * @param x (B, 3, H, W)
     * @return the four stage outputs (B, C_i, H/2^(i+2), W/2^(i+2))
     */
    public NDList forward(ParameterStore ps, NDArray x, boolean training) {
        NDList outs = new NDList();
        NDArray cur = x;
        long b = x.getShape().get(0);
        int[] hw = new int[2];
        for (int i = 0; i < config.stages(); i++) {
            try (Sections.Section s = Sections.open("encoder stage " + (i + 1))) {
                NDArray tokens = embeds[i].forward(ps, cur, training, hw); // (B, N, C)
                for (int j = 0; j < blocks[i].size(); j++) {
                    PvtBlock blk = blocks[i].get(j);
                    tokens = blk.forward(ps, tokens, hw[0], hw[1], training); // (B, N, C)
                }
                tokens = norms[i].forward(ps, tokens, training);
                cur = tokens.reshape(b, hw[0], hw[1], -1).transpose(0, 3, 1, 2); // (B, C, H, W)
            }
            outs.add(cur);
        }
        return outs;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forward(ps, inputs.singletonOrThrow(), training);
    }
}
