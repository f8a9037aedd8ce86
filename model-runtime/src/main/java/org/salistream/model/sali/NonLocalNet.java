package org.salistream.model.sali;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.salistream.model.nn.SaliBlock;
import org.salistream.model.profile.Sections;

/**
 * SALI's short-term fusion ({@code nlnet}, the published {@code NonLocalNet}): at each scale the two aligned
 * features (memory readout and neighbour) are concatenated, passed through a {@link NonLocalSam} with
 * max-pool sub-sampling 2, 4 and 8, and reduced back to {@code planes} channels by a {@link BasicConv2d}
 * (conv + BN, no ReLU).
 */
public final class NonLocalNet extends SaliBlock {

    private final NonLocalSam[] layers = new NonLocalSam[3];
    private final BasicConv2d[] convs = new BasicConv2d[3];

    /** A fusion of two {@code planes}-channel pyramids. */
    public NonLocalNet(int planes) {
        for (int i = 0; i < 3; i++) {
            layers[i] = addChildBlock("nl_layer" + (i + 1), new NonLocalSam(2 * planes, 2 << i));
        }
        for (int i = 0; i < 3; i++) {
            convs[i] = addChildBlock("conv" + (i + 1), BasicConv2d.of(2 * planes, planes, 3, 1, 1));
        }
    }

    /** Fuses two aligned pyramids, scale by scale. */
    public NDList forward(ParameterStore ps, NDList a, NDList b, boolean training) {
        NDList out = new NDList(3);
        for (int i = 0; i < 3; i++) {
            try (Sections.Section s = Sections.open("non-local 1/" + (8 << i))) {
                out.add(convs[i].forward(
                        ps,
                        layers[i].forward(ps, NDArrays.concat(new NDList(a.get(i), b.get(i)), 1), training),
                        training)); // (B, C, h_i, w_i)
            }
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forward(ps, inputs.subNDList(0, 3), inputs.subNDList(3), training);
    }
}
