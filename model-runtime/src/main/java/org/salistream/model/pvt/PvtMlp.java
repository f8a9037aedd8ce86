package org.salistream.model.pvt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.LinearLayer;
import org.salistream.model.nn.SaliBlock;

/**
 * PVTv2's convolutional feed-forward: {@code fc1}, a 3x3 depth-wise convolution on the token grid
 * ({@code dwconv.dwconv}), GELU (exact erf form, PyTorch's default), {@code fc2}.
 */
public final class PvtMlp extends SaliBlock {

    private final int hidden;
    private final LinearLayer fc1;
    private final DwConv dwconv;
    private final LinearLayer fc2;

    /** An MLP of {@code dim} -> {@code hidden} -> {@code dim}. */
    public PvtMlp(int dim, int hidden) {
        this.hidden = hidden;
        fc1 = addChildBlock("fc1", new LinearLayer(dim, hidden, true));
        dwconv = addChildBlock("dwconv", new DwConv(hidden));
        fc2 = addChildBlock("fc2", new LinearLayer(hidden, dim, true));
    }

    /** Applies the MLP to tokens {@code x} (B, N, C) on an h x w grid. */
    public NDArray forward(ParameterStore ps, NDArray x, int h, int w, boolean training) {
        NDArray y = fc1.forward(ps, x, training); // (B, N, Ch)
        y = dwconv.forward(ps, y, h, w, training); // (B, N, Ch)
        y = Activation.gelu(y);
        return fc2.forward(ps, y, training); // (B, N, C)
    }

    /** Hidden width. */
    public int hidden() {
        return hidden;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(
                ps, inputs.get(0), inputs.get(1).getInt(0), inputs.get(1).getInt(1), training));
    }

    /** The published {@code DWConv} wrapper, whose only child is named {@code dwconv}. */
    static final class DwConv extends SaliBlock {
        private final Conv2dLayer conv;

        DwConv(int channels) {
            conv = addChildBlock(
                    "dwconv",
                    Conv2dLayer.builder()
                            .setInChannels(channels)
                            .setOutChannels(channels)
                            .setKernel(3)
                            .optPadding(1)
                            .optGroups(channels)
                            .build());
        }

        NDArray forward(ParameterStore ps, NDArray x, int h, int w, boolean training) {
            long b = x.getShape().get(0);
            long c = x.getShape().get(2);
            NDArray grid = x.transpose(0, 2, 1).reshape(b, c, h, w); // (B, C, H, W)
            return conv.forward(ps, grid, training).reshape(b, c, -1).transpose(0, 2, 1); // (B, N, C)
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            throw new UnsupportedOperationException("called through PvtMlp");
        }
    }
}
