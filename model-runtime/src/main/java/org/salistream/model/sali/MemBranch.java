package org.salistream.model.sali;

import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.SaliBlock;

/**
 * The key/value projections of SALI's long-term interaction module ({@code membranch}): per scale, a 3x3
 * convolution to {@code C/8} key channels ({@code Key0..2}) and one to {@code C/2} value channels
 * ({@code Value0..2}), as in space-time memory networks (Oh et al., ICCV 2019).
 */
public final class MemBranch extends SaliBlock {

    private final Conv2dLayer[] keys = new Conv2dLayer[3];
    private final Conv2dLayer[] values = new Conv2dLayer[3];

    /** Projections of {@code indim}-channel maps. */
    public MemBranch(int indim) {
        for (int i = 0; i < 3; i++) {
            keys[i] = addChildBlock("Key" + i, Conv2dLayer.conv3x3(indim, indim / 8));
        }
        for (int i = 0; i < 3; i++) {
            values[i] = addChildBlock("Value" + i, Conv2dLayer.conv3x3(indim, indim / 2));
        }
    }

    /**
     * Projects a pyramid.
     *
     * @param x three (B, C, h_i, w_i) maps
     * @return keys (B, C/8, h_i, w_i) x3 followed by values (B, C/2, h_i, w_i) x3
     */
    public NDList forward(ParameterStore ps, NDList x, boolean training) {
        NDList out = new NDList(6);
        for (int i = 0; i < 3; i++) {
            out.add(keys[i].forward(ps, x.get(i), training));
        }
        for (int i = 0; i < 3; i++) {
            out.add(values[i].forward(ps, x.get(i), training));
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forward(ps, inputs, training);
    }
}
