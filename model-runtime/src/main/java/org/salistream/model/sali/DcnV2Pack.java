package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.profile.Sections;
import org.salistream.ops.DeformConvOptions;
import org.salistream.ops.ModulatedDeformConv2d;

/**
 * The published {@code DCNv2Pack} (Chan et al., "Understanding Deformable Alignment in Video
 * Super-Resolution", AAAI 2021): a modulated deformable convolution (DCNv2, Zhu et al., CVPR 2019) whose
 * offsets and masks come from a second feature map through {@code conv_offset}. The conv_offset output is
 * chunked in three along channels: the first two thirds are the (dy, dx) offsets, the last the mask
 * logits (sigmoid).
 */
public final class DcnV2Pack extends SaliBlock {

    private final DeformConvOptions options;
    private final Parameter weight;
    private final Parameter bias;
    private final Conv2dLayer convOffset;

    /** A DCNv2 pack of {@code in} -> {@code out} channels, square kernel, stride 1. */
    public DcnV2Pack(int in, int out, int kernel, int padding, int deformableGroups) {
        this.options = DeformConvOptions.builder()
                .padding(padding)
                .deformableGroups(deformableGroups)
                .build();
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in, kernel, kernel));
        bias = param("bias", Parameter.Type.BIAS, new Shape(out));
        convOffset = addChildBlock(
                "conv_offset",
                Conv2dLayer.builder()
                        .setInChannels(in)
                        .setOutChannels(3 * deformableGroups * kernel * kernel)
                        .setKernel(kernel)
                        .optPadding(padding)
                        .build());
    }

    /**
     * Samples {@code x} at positions deformed by offsets predicted from {@code feat}.
     *
     * @param x features to align (B, C, H, W)
     * @param feat features the offsets and masks come from (B, C, H, W)
     * @return (B, O, H, W)
     */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray feat, boolean training) {
        NDArray out = convOffset.forward(ps, feat, training); // (B, 3*G*k*k, H, W)
        NDList parts = out.split(3, 1); // 3 x (B, G*k*k, H, W)
        NDArray offset = NDArrays.concat(new NDList(parts.get(0), parts.get(1)), 1); // (B, 2*G*k*k, H, W)
        NDArray mask = Activation.sigmoid(parts.get(2)); // (B, G*k*k, H, W)
        try (Sections.Section s = Sections.open("deform conv")) {
            NDArray w = value(ps, weight, x, training);
            NDArray b = value(ps, bias, x, training);
            // Training needs the published gradients (the gather form); inference takes libtorch's sampler.
            return training
                    ? ModulatedDeformConv2d.forward(x, offset, mask, w, b, options)
                    : ModulatedDeformConv2d.forwardInference(x, offset, mask, w, b, options); // (B, O, H, W)
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
    }
}
