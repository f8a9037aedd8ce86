package org.salistream.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code torch.nn.ModuleDict}: named children with no forward of its own, as the published PCD alignment
 * keeps its per-level layers ({@code pcd_align.offset_conv1.l3.weight}).
 */
public final class ModuleDict extends SaliBlock {

    private final Map<String, Block> byName = new LinkedHashMap<>();

    /** Adds a child under {@code name}. */
    public <B extends Block> B put(String name, B block) {
        byName.put(name, addChildBlock(name, block));
        return block;
    }

    /** The child named {@code name}. */
    @SuppressWarnings("unchecked")
    public <B extends Block> B get(String name) {
        Block b = byName.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no module named " + name + " (have " + byName.keySet() + ")");
        }
        return (B) b;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("a ModuleDict has no forward of its own");
    }
}
