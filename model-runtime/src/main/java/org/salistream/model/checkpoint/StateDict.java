package org.salistream.model.checkpoint;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An ordered map from parameter or buffer name to tensor, as PyTorch's {@code Module.state_dict()} returns
 * it (e.g. {@code backbone.feat_net.pvtv2_en.block1.0.attn.q.weight}). Immutable: every key operation
 * returns a new state dict that shares the tensors.
 *
 * <p>The key operations mirror what loading code does around {@code load_state_dict}: stripping the
 * {@code module.} prefix that {@code nn.DataParallel} adds ({@code torch.nn.modules.utils
 * .consume_prefix_in_state_dict_if_present}), moving a backbone-only file such as {@code pvt_v2_b5.pth}
 * (keys {@code patch_embed1.proj.weight}, ...) under the prefix where the model holds the backbone, and the
 * {@code {k: v for k, v in pretrained.items() if k in model_dict}} filter of the published
 * {@code load_model}/{@code load_backbone}.
 */
public final class StateDict implements Iterable<Map.Entry<String, TensorData>> {

    /** The buffer name PyTorch's BatchNorm keeps its int64 step counter under. */
    public static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private final Map<String, TensorData> tensors;
    private final String sourceKey;

    /** A state dict holding the given tensors in the map's iteration order. */
    public StateDict(Map<String, TensorData> tensors) {
        this(tensors, null);
    }

    StateDict(Map<String, TensorData> tensors, String sourceKey) {
        LinkedHashMap<String, TensorData> copy = new LinkedHashMap<>();
        tensors.forEach((k, v) -> copy.put(requireKey(k), java.util.Objects.requireNonNull(v, k)));
        this.tensors = Collections.unmodifiableMap(copy);
        this.sourceKey = sourceKey;
    }

    private static String requireKey(String k) {
        if (k == null) {
            throw new IllegalArgumentException("a state dict key is null");
        }
        return k;
    }

    /**
     * The top-level key of the checkpoint the state dict was found under (e.g. {@code state_dict} or
     * {@code model} of a training checkpoint); empty where the file's top level was the state dict itself.
     */
    public Optional<String> sourceKey() {
        return Optional.ofNullable(sourceKey);
    }

    /** The number of tensors. */
    public int size() {
        return tensors.size();
    }

    /** Whether there is no tensor. */
    public boolean isEmpty() {
        return tensors.isEmpty();
    }

    /** Whether a tensor of this name exists. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor of this name, if present. */
    public Optional<TensorData> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /**
     * The tensor of this name.
     *
     * @throws IllegalArgumentException naming the key when it is absent
     */
    public TensorData get(String name) {
        TensorData t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in the state dict (" + tensors.size()
                    + " keys"
                    + (tensors.isEmpty()
                            ? ""
                            : ", the first is '" + tensors.keySet().iterator().next() + "'")
                    + ")");
        }
        return t;
    }

    /** The names in order (unmodifiable). */
    public Set<String> keys() {
        return tensors.keySet();
    }

    /** The tensors by name, in order (unmodifiable). */
    public Map<String, TensorData> asMap() {
        return tensors;
    }

    /** Each name's shape, in order: what {@link StateDictMismatch#between} compares. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.shape()));
        return out;
    }

    /** The total number of elements of every tensor, buffers included (PyTorch's {@code sum(v.numel())}). */
    public long totalNumel() {
        return numel(k -> true);
    }

    /** The total number of elements of the tensors whose name passes the filter. */
    public long numel(Predicate<String> keyFilter) {
        long n = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            if (keyFilter.test(e.getKey())) {
                n += e.getValue().numel();
            }
        }
        return n;
    }

    /** Every key with {@code prefix} in front, e.g. a backbone file moved to {@code backbone.feat_net.pvtv2_en.}. */
    public StateDict withPrefix(String prefix) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(prefix + k, v));
        return new StateDict(out, sourceKey);
    }

    /**
     * Removes {@code prefix} from every key that starts with it and keeps the other keys unchanged, as
     * {@code consume_prefix_in_state_dict_if_present} does.
     *
     * @throws IllegalArgumentException when a stripped key collides with a kept one
     */
    public StateDict stripPrefix(String prefix) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            String k = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : e.getKey();
            if (out.put(k, e.getValue()) != null) {
                throw new IllegalArgumentException("stripping '" + prefix + "' makes two tensors named '" + k + "'");
            }
        }
        return new StateDict(out, sourceKey);
    }

    /** Only the keys that start with {@code prefix}, with it removed: a sub-module's own state dict. */
    public StateDict selectPrefix(String prefix) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return new StateDict(out, sourceKey);
    }

    /** Strips the {@code module.} prefix that a model wrapped in {@code nn.DataParallel} saves with. */
    public StateDict stripDataParallelPrefix() {
        return stripPrefix("module.");
    }

    /** Only the tensors whose name passes the filter, e.g. {@code filter(modelShapes::containsKey)}. */
    public StateDict filter(Predicate<String> keep) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (keep.test(k)) {
                out.put(k, v);
            }
        });
        return new StateDict(out, sourceKey);
    }

    /**
     * This state dict followed by the other one's tensors, e.g. a model's own weights plus a backbone file
     * moved under its prefix.
     *
     * @throws IllegalArgumentException when both hold a key (naming it), since silently picking one hides errors
     */
    public StateDict merge(StateDict other) {
        Map<String, TensorData> out = new LinkedHashMap<>(tensors);
        for (Map.Entry<String, TensorData> e : other.tensors.entrySet()) {
            if (out.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("both state dicts hold '" + e.getKey() + "'");
            }
        }
        return new StateDict(out, sourceKey);
    }

    /** The keys, shapes and size mismatches against a model's expected name-to-shape map. */
    public StateDictMismatch compareTo(Map<String, long[]> modelShapes) {
        return StateDictMismatch.between(modelShapes, shapes());
    }

    @Override
    public Iterator<Map.Entry<String, TensorData>> iterator() {
        return tensors.entrySet().iterator();
    }

    @Override
    public String toString() {
        return "StateDict[" + tensors.size() + " tensors, " + totalNumel() + " elements"
                + (sourceKey == null ? "" : ", from key '" + sourceKey + "'") + "]";
    }
}
