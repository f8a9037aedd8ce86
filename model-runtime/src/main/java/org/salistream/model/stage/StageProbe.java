package org.salistream.model.stage;

import ai.djl.ndarray.NDList;

/**
 * Sees the intermediate tensors of a {@link DjlSaliStages#segment} call while it runs, for parity tests
 * against the published model and for researchers inspecting the network. The arrays are only valid
 * inside the callback; copy what you keep.
 *
 * <p>Names, each with one array per scale (1/8, 1/16, 1/32) for the whole batch: {@code fmap_cur},
 * {@code fmap_nbr}, {@code keyQ}, {@code valueQ}, {@code readout}, {@code align_mem}, {@code align_nbr},
 * {@code fused}, {@code S} (the decoder's S_5, S_4, S_3, in that order as the published {@code Ss}), and
 * {@code maps} (S_g, S_5, S_4, S_3 before upsampling).
 */
@FunctionalInterface
public interface StageProbe {

    /** A probe that records nothing. */
    StageProbe NONE = (name, arrays) -> {};

    /** Called with a named group of arrays (B, C, h, w). */
    void accept(String name, NDList arrays);
}
