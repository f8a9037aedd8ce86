package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.SaliBlock;
import org.salistream.ops.Resample;

/**
 * The neighbour connection decoder {@code NCD} (Fan et al., SINet-V2, TPAMI 2022): aggregates the three
 * fused maps from coarse to fine into the global guidance map S_g at 1/8 of the frame. Its upsampling is
 * {@code nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)}, as published.
 */
public final class NeighborConnectionDecoder extends SaliBlock {

    private final BasicConv2d up1;
    private final BasicConv2d up2;
    private final BasicConv2d up3;
    private final BasicConv2d up4;
    private final BasicConv2d up5;
    private final BasicConv2d concat2;
    private final BasicConv2d concat3;
    private final BasicConv2d conv4;
    private final Conv2dLayer conv5;

    /** A decoder over {@code c}-channel maps. */
    public NeighborConnectionDecoder(int c) {
        up1 = addChildBlock("conv_upsample1", BasicConv2d.of(c, c, 3, 1, 1));
        up2 = addChildBlock("conv_upsample2", BasicConv2d.of(c, c, 3, 1, 1));
        up3 = addChildBlock("conv_upsample3", BasicConv2d.of(c, c, 3, 1, 1));
        up4 = addChildBlock("conv_upsample4", BasicConv2d.of(c, c, 3, 1, 1));
        up5 = addChildBlock("conv_upsample5", BasicConv2d.of(2 * c, 2 * c, 3, 1, 1));
        concat2 = addChildBlock("conv_concat2", BasicConv2d.of(2 * c, 2 * c, 3, 1, 1));
        concat3 = addChildBlock("conv_concat3", BasicConv2d.of(3 * c, 3 * c, 3, 1, 1));
        conv4 = addChildBlock("conv4", BasicConv2d.of(3 * c, 3 * c, 3, 1, 1));
        conv5 = addChildBlock(
                "conv5",
                Conv2dLayer.builder()
                        .setInChannels(3 * c)
                        .setOutChannels(1)
                        .setKernel(1)
                        .build());
    }

    private static NDArray up(NDArray x) {
        return Resample.bilinearScale(x, 2, 2, true); // (B, C, 2H, 2W)
    }

    /**
     * Decodes.
     *
     * @param x1 the coarsest map (B, C, S/32, S/32)
     * @param x2 (B, C, S/16, S/16)
     * @param x3 the finest map (B, C, S/8, S/8)
     * @return S_g (B, 1, S/8, S/8)
     */
    public NDArray forward(ParameterStore ps, NDArray x1, NDArray x2, NDArray x3, boolean training) {
        NDArray x21 = up1.forward(ps, up(x1), training).mul(x2); // (B, C, S/16, S/16)
        NDArray x31 = up2.forward(ps, up(x21), training)
                .mul(up3.forward(ps, up(x2), training))
                .mul(x3); // (B, C, S/8, S/8)
        NDArray x22 = concat2.forward(
                ps,
                NDArrays.concat(new NDList(x21, up4.forward(ps, up(x1), training)), 1),
                training); // (B, 2C, S/16, S/16)
        NDArray x32 = concat3.forward(
                ps,
                NDArrays.concat(new NDList(x31, up5.forward(ps, up(x22), training)), 1),
                training); // (B, 3C, S/8, S/8)
        return conv5.forward(ps, conv4.forward(ps, x32, training), training); // (B, 1, S/8, S/8)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }
}
