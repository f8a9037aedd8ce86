package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.ModuleDict;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.profile.Sections;
import org.salistream.ops.Resample;

/**
 * Pyramid, cascading and deformable (PCD) alignment (Wang et al., EDVR, CVPRW 2019), SALI's short-term
 * alignment (Eq. 1-2 of the SALI paper): from the coarsest level l3 (1/32) to l1 (1/8), offsets are
 * predicted from the concatenated neighbour and reference features, refined with the offsets upsampled
 * from the coarser level (x2, since they are measured in pixels), and drive a {@link DcnV2Pack} that
 * samples the neighbour; aligned features are fused with the upsampled coarser ones. LeakyReLU(0.1)
 * throughout; upsampling is bilinear x2 with align_corners=False.
 */
public final class PcdAlignment extends SaliBlock {

    private static final float SLOPE = 0.1f;

    private final ModuleDict offsetConv1;
    private final ModuleDict offsetConv2;
    private final ModuleDict offsetConv3;
    private final ModuleDict dcnPack;
    private final ModuleDict featConv;

    /** PCD alignment of {@code numFeat}-channel pyramids with the given deformable groups. */
    public PcdAlignment(int numFeat, int deformableGroups) {
        offsetConv1 = addChildBlock("offset_conv1", new ModuleDict());
        offsetConv2 = addChildBlock("offset_conv2", new ModuleDict());
        offsetConv3 = addChildBlock("offset_conv3", new ModuleDict());
        dcnPack = addChildBlock("dcn_pack", new ModuleDict());
        featConv = addChildBlock("feat_conv", new ModuleDict());
        for (int i = 3; i >= 1; i--) {
            String level = "l" + i;
            offsetConv1.put(level, Conv2dLayer.conv3x3(2 * numFeat, numFeat));
            if (i == 3) {
                offsetConv2.put(level, Conv2dLayer.conv3x3(numFeat, numFeat));
            } else {
                offsetConv2.put(level, Conv2dLayer.conv3x3(2 * numFeat, numFeat));
                offsetConv3.put(level, Conv2dLayer.conv3x3(numFeat, numFeat));
            }
            dcnPack.put(level, new DcnV2Pack(numFeat, numFeat, 3, 1, deformableGroups));
            if (i < 3) {
                featConv.put(level, Conv2dLayer.conv3x3(2 * numFeat, numFeat));
            }
        }
    }

    private static NDArray cat(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b), 1);
    }

    /**
     * Aligns the neighbour pyramid to the reference pyramid.
     *
     * @param nbr pyramid to align: (B, C, S/8), (B, C, S/16), (B, C, S/32)
     * @param ref reference pyramid of the same shapes
     * @return the aligned pyramid, finest first
     */
    public NDList forward(ParameterStore ps, NDList nbr, NDList ref, boolean training) {
        NDArray[] pyramid = new NDArray[3];
        NDArray upOffset = null;
        NDArray upFeat = null;
        for (int i = 3; i >= 1; i--) {
            String level = "l" + i;
            try (Sections.Section s = Sections.open(level + " (1/" + (4 << i) + ")")) {
                NDArray n = nbr.get(i - 1);
                NDArray r = ref.get(i - 1);
                Conv2dLayer c1 = offsetConv1.get(level);
                Conv2dLayer c2 = offsetConv2.get(level);
                NDArray offset = Activation.leakyRelu(c1.forward(ps, cat(n, r), training), SLOPE); // (B, C, h, w)
                if (i == 3) {
                    offset = Activation.leakyRelu(c2.forward(ps, offset, training), SLOPE);
                } else {
                    Conv2dLayer c3 = offsetConv3.get(level);
                    offset = Activation.leakyRelu(c2.forward(ps, cat(offset, upOffset), training), SLOPE);
                    offset = Activation.leakyRelu(c3.forward(ps, offset, training), SLOPE);
                }
                DcnV2Pack dcn = dcnPack.get(level);
                NDArray feat = dcn.forward(ps, n, offset, training); // (B, C, h, w)
                if (i < 3) {
                    Conv2dLayer fc = featConv.get(level);
                    feat = fc.forward(ps, cat(feat, upFeat), training);
                }
                if (i > 1) {
                    feat = Activation.leakyRelu(feat, SLOPE);
                    NDArray up = Resample.bilinearScale(offset, 2, 2, false); // (B, C, 2h, 2w)
                    upOffset = up.add(up); // * 2, exact; no Java-backed scalar kept for backward (see PvtAttention)
                    upFeat = Resample.bilinearScale(feat, 2, 2, false); // (B, C, 2h, 2w)
                }
                pyramid[i - 1] = feat;
            }
        }
        return new NDList(pyramid);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forward(ps, inputs.subNDList(0, 3), inputs.subNDList(3), training);
    }
}
