package org.salistream.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salistream.model.nn.BatchNorm2dLayer;
import org.salistream.model.nn.ParameterPaths;

/**
 * Maps a PyTorch {@code state_dict} onto a block tree by name, as {@code Module.load_state_dict} does: the
 * block's parameters are named like the published modules ({@link ParameterPaths}), every BatchNorm also
 * expects its {@code num_batches_tracked} buffer (read and discarded), and differences are reported in
 * PyTorch's words. Values are copied into the block's initialised parameter arrays, converted to the
 * arrays' dtype.
 */
public final class StateDictMapper {

    private StateDictMapper() {}

    /** The names and shapes a block expects in a state dict, in PyTorch's order within each module. */
    public static Map<String, long[]> expectedShapes(Block root) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : ParameterPaths.of(root).entrySet()) {
            out.put(e.getKey(), e.getValue().getShape().getShape());
        }
        for (String bn : ParameterPaths.blocks(root, BatchNorm2dLayer.class).keySet()) {
            out.put((bn.isEmpty() ? "" : bn + ".") + StateDict.NUM_BATCHES_TRACKED, new long[0]);
        }
        return out;
    }

    /**
     * Copies a state dict into an initialised block.
     *
     * @param modelName named in errors, e.g. {@code VideoModel}
     * @param strict whether missing and unexpected keys fail the load (size mismatches always do)
     * @return what differed (empty when strict succeeded)
     * @throws CheckpointException in PyTorch's words when loading fails
     */
    public static StateDictMismatch load(Block root, StateDict stateDict, boolean strict, String modelName)
            throws CheckpointException {
        StateDictMismatch mismatch = StateDictMismatch.between(expectedShapes(root), stateDict.shapes());
        mismatch.requireLoadable(modelName, strict);
        for (Map.Entry<String, Parameter> e : ParameterPaths.of(root).entrySet()) {
            TensorData t = stateDict.find(e.getKey()).orElse(null);
            if (t == null) {
                continue;
            }
            NDArray target = e.getValue().getArray();
            target.set(t.toFloatArray());
        }
        return mismatch;
    }

    /** The block's parameters as a state dict (float32), for writing or comparing. */
    public static StateDict toStateDict(Block root) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : ParameterPaths.of(root).entrySet()) {
            NDArray a = e.getValue().getArray();
            out.put(
                    e.getKey(),
                    TensorData.ofFloats(a.toFloatArray(), a.getShape().getShape()));
        }
        return new StateDict(out);
    }
}
