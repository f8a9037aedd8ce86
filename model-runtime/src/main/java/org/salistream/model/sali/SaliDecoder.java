package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.profile.Sections;
import org.salistream.ops.Resample;

/**
 * SALI's decoder ({@code backbone.decoder}, from SINet-V2): the neighbour connection decoder gives the
 * global map S_g at 1/8, then three reverse stages refine it coarse to fine: S_5 at 1/32, S_4 at 1/16 and
 * S_3 at 1/8 (each a residual on the upsampled previous map). Every resampling is
 * {@code F.interpolate(scale_factor, mode='bilinear')} with PyTorch's default align_corners=False.
 */
public final class SaliDecoder extends SaliBlock {

    private final NeighborConnectionDecoder ncd;
    private final ReverseStage rs5;
    private final ReverseStage rs4;
    private final ReverseStage rs3;

    /** A decoder over {@code channel}-channel maps. */
    public SaliDecoder(int channel) {
        ncd = addChildBlock("NCD", new NeighborConnectionDecoder(channel));
        rs5 = addChildBlock("RS5", new ReverseStage(channel));
        rs4 = addChildBlock("RS4", new ReverseStage(channel));
        rs3 = addChildBlock("RS3", new ReverseStage(channel));
    }

    /**
     * Decodes the three fused maps.
     *
     * @param x (B, C, S/8, S/8), (B, C, S/16, S/16), (B, C, S/32, S/32)
     * @return S_g, S_5, S_4, S_3 at their native scales: (B, 1, S/8), (B, 1, S/32), (B, 1, S/16), (B, 1, S/8)
     */
    public NDList forward(ParameterStore ps, NDList x, boolean training) {
        NDArray x2 = x.get(0);
        NDArray x3 = x.get(1);
        NDArray x4 = x.get(2);
        NDArray sg;
        try (Sections.Section s = Sections.open("decoder NCD")) {
            sg = ncd.forward(ps, x4, x3, x2, training); // (B, 1, S/8, S/8)
        }
        NDArray guidanceG = Resample.bilinearScale(sg, 0.25, 0.25, false); // (B, 1, S/32, S/32)
        NDArray s5 = reverse(rs5, "decoder RS5", ps, x4, guidanceG, training); // (B, 1, S/32, S/32)
        NDArray guidance5 = Resample.bilinearScale(s5, 2, 2, false); // (B, 1, S/16, S/16)
        NDArray s4 = reverse(rs4, "decoder RS4", ps, x3, guidance5, training); // (B, 1, S/16, S/16)
        NDArray guidance4 = Resample.bilinearScale(s4, 2, 2, false); // (B, 1, S/8, S/8)
        NDArray s3 = reverse(rs3, "decoder RS3", ps, x2, guidance4, training); // (B, 1, S/8, S/8)
        return new NDList(sg, s5, s4, s3);
    }

    /** A reverse stage as a residual on its guidance. */
    private static NDArray reverse(
            ReverseStage rs, String name, ParameterStore ps, NDArray x, NDArray guidance, boolean training) {
        try (Sections.Section s = Sections.open(name)) {
            return rs.forward(ps, x, guidance, training).add(guidance); // (B, 1, h, w)
        }
    }

    /**
     * The four supervised predictions at frame size, as the published decoder returns them:
     * S_g x8, S_5 x32, S_4 x16, S_3 x8.
     */
    public static NDList predictions(NDList maps) {
        return new NDList(
                Resample.bilinearScale(maps.get(0), 8, 8, false), // (B, 1, S, S)
                Resample.bilinearScale(maps.get(1), 32, 32, false), // (B, 1, S, S)
                Resample.bilinearScale(maps.get(2), 16, 16, false), // (B, 1, S, S)
                Resample.bilinearScale(maps.get(3), 8, 8, false)); // (B, 1, S, S)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forward(ps, inputs, training);
    }
}
