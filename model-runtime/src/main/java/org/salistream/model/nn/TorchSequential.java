package org.salistream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code torch.nn.Sequential} / {@code nn.ModuleList}: children named {@code 0}, {@code 1}, ... as in the
 * published {@code state_dict} ({@code nlnet.nl_layer1.g.0.weight}, {@code block1.0.attn.q.weight}).
 * Forward applies the children in order.
 */
public final class TorchSequential extends SaliBlock {

    private int size;

    /** Appends a child, named by its index. */
    public TorchSequential add(Block block) {
        addChildBlock(Integer.toString(size++), block);
        return this;
    }

    /** Number of children. */
    public int size() {
        return size;
    }

    /** The child at {@code index}. */
    @SuppressWarnings("unchecked")
    public <B extends Block> B get(int index) {
        return (B) children.get(index).getValue();
    }

    /** Applies the children in order. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDList out = new NDList(x);
        for (Block child : children.values()) {
            out = child.forward(ps, out, training, null);
        }
        return out.singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
