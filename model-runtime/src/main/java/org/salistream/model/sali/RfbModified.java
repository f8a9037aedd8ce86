package org.salistream.model.sali;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.nn.TorchSequential;

/**
 * The receptive-field block {@code RFB_modified} (Liu et al., "Receptive Field Block Net", ECCV 2018, as
 * modified in SINet/PraNet and the published SALI encoder): four branches of growing receptive field
 * (dilations 1, 3, 5, 7), concatenated and fused by {@code conv_cat}, plus the residual {@code conv_res},
 * then ReLU. Reduces an encoder stage to {@code out} (32) channels.
 */
public final class RfbModified extends SaliBlock {

    private final TorchSequential[] branches = new TorchSequential[4];
    private final BasicConv2d convCat;
    private final BasicConv2d convRes;

    /** An RFB from {@code in} to {@code out} channels. */
    public RfbModified(int in, int out) {
        branches[0] = addChildBlock("branch0", new TorchSequential().add(BasicConv2d.of(in, out, 1, 0, 1)));
        for (int b = 1; b <= 3; b++) {
            int k = 2 * b + 1; // 3, 5, 7
            branches[b] = addChildBlock(
                    "branch" + b,
                    new TorchSequential()
                            .add(BasicConv2d.of(in, out, 1, 0, 1))
                            .add(BasicConv2d.rect(out, out, 1, k, 0, b))
                            .add(BasicConv2d.rect(out, out, k, 1, b, 0))
                            .add(BasicConv2d.of(out, out, 3, k, k)));
        }
        convCat = addChildBlock("conv_cat", BasicConv2d.of(4 * out, out, 3, 1, 1));
        convRes = addChildBlock("conv_res", BasicConv2d.of(in, out, 1, 0, 1));
    }

    /** Applies the block to an encoder stage (B, in, H, W). */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDList parts = new NDList(4);
        for (TorchSequential branch : branches) {
            parts.add(branch.forward(ps, x, training)); // (B, out, H, W)
        }
        NDArray cat = convCat.forward(ps, NDArrays.concat(parts, 1), training); // (B, out, H, W)
        return Activation.relu(cat.add(convRes.forward(ps, x, training))); // (B, out, H, W)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
