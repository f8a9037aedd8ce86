package org.salistream.model.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a checkpoint's state dict differs from what a model expects: missing keys, unexpected keys and size
 * mismatches, reported as PyTorch's {@code Module.load_state_dict} reports them
 * ({@code torch/nn/modules/module.py}: {@code _load_from_state_dict} collects the size mismatches,
 * {@code load_state_dict} puts the missing, then the unexpected keys in front and raises
 * {@code RuntimeError('Error(s) in loading state_dict for VideoModel:\n\t...')}).
 *
 * <p>Like PyTorch, a one-dimensional checkpoint tensor loads into a scalar model tensor (its backward
 * compatibility with 0.3 checkpoints); the comparison ignores dtypes, because {@code copy_} converts them.
 */
public final class StateDictMismatch {

    /**
     * A key present on both sides with different shapes.
     *
     * @param key the state dict key
     * @param checkpointShape the shape in the checkpoint
     * @param modelShape the shape the model expects
     */
    public record SizeMismatch(String key, long[] checkpointShape, long[] modelShape) {
        /** PyTorch's message for it. */
        public String message() {
            return "size mismatch for " + key + ": copying a param with shape " + TensorData.torchSize(checkpointShape)
                    + " from checkpoint, the shape in current model is " + TensorData.torchSize(modelShape) + ".";
        }

        @Override
        public String toString() {
            return message();
        }
    }

    private final List<String> missing;
    private final List<String> unexpected;
    private final List<SizeMismatch> sizeMismatches;

    private StateDictMismatch(List<String> missing, List<String> unexpected, List<SizeMismatch> sizeMismatches) {
        this.missing = Collections.unmodifiableList(missing);
        this.unexpected = Collections.unmodifiableList(unexpected);
        this.sizeMismatches = Collections.unmodifiableList(sizeMismatches);
    }

    /**
     * Compares a model's expected shapes with a checkpoint's. Missing keys and size mismatches come in the
     * model's order, unexpected keys in the checkpoint's.
     */
    public static StateDictMismatch between(Map<String, long[]> modelShapes, Map<String, long[]> checkpointShapes) {
        List<String> missing = new ArrayList<>();
        List<SizeMismatch> sizes = new ArrayList<>();
        for (Map.Entry<String, long[]> e : modelShapes.entrySet()) {
            long[] ckpt = checkpointShapes.get(e.getKey());
            if (ckpt == null) {
                missing.add(e.getKey());
            } else if (!loadable(ckpt, e.getValue())) {
                sizes.add(
                        new SizeMismatch(e.getKey(), ckpt.clone(), e.getValue().clone()));
            }
        }
        List<String> unexpected = checkpointShapes.keySet().stream()
                .filter(k -> !modelShapes.containsKey(k))
                .collect(Collectors.toCollection(ArrayList::new));
        return new StateDictMismatch(missing, unexpected, sizes);
    }

    /** PyTorch's rule: equal shapes, or a non-empty 1-d checkpoint tensor into a scalar (it takes element 0). */
    private static boolean loadable(long[] checkpoint, long[] model) {
        if (model.length == 0 && checkpoint.length == 1 && checkpoint[0] >= 1) {
            return true;
        }
        return Arrays.equals(checkpoint, model);
    }

    /** Keys the model expects that the checkpoint lacks. */
    public List<String> missingKeys() {
        return missing;
    }

    /** Keys of the checkpoint that the model does not have. */
    public List<String> unexpectedKeys() {
        return unexpected;
    }

    /** Keys on both sides whose shapes differ. */
    public List<SizeMismatch> sizeMismatches() {
        return sizeMismatches;
    }

    /** Whether the checkpoint loads with {@code strict=True}: no missing, unexpected or mismatched key. */
    public boolean isEmpty() {
        return missing.isEmpty() && unexpected.isEmpty() && sizeMismatches.isEmpty();
    }

    /**
     * Whether loading fails: with {@code strict}, any difference; without, only size mismatches (PyTorch's
     * {@code strict=False} still raises for them).
     */
    public boolean fails(boolean strict) {
        return strict ? !isEmpty() : !sizeMismatches.isEmpty();
    }

    /** PyTorch's {@code strict=True} error text for a model of this class name, e.g. {@code VideoModel}. */
    public String format(String modelName) {
        return format(modelName, true);
    }

    /**
     * PyTorch's error text: {@code Error(s) in loading state_dict for <model>:} then one tab-indented line
     * per message (missing keys and unexpected keys only when {@code strict}); empty when nothing fails.
     */
    public String format(String modelName, boolean strict) {
        List<String> messages = new ArrayList<>();
        if (strict && !missing.isEmpty()) {
            messages.add("Missing key(s) in state_dict: " + quoted(missing) + ". ");
        }
        if (strict && !unexpected.isEmpty()) {
            messages.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
        }
        sizeMismatches.forEach(m -> messages.add(m.message()));
        if (messages.isEmpty()) {
            return "";
        }
        return "Error(s) in loading state_dict for " + modelName + ":\n\t" + String.join("\n\t", messages);
    }

    /**
     * Fails, with {@link #format(String, boolean)} as the message, when loading would fail.
     *
     * @throws CheckpointException when {@link #fails(boolean)}
     */
    public void requireLoadable(String modelName, boolean strict) throws CheckpointException {
        if (fails(strict)) {
            throw new CheckpointException(format(modelName, strict));
        }
    }

    private static String quoted(List<String> keys) {
        return keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return isEmpty()
                ? "StateDictMismatch[none]"
                : "StateDictMismatch[" + missing.size() + " missing, " + unexpected.size() + " unexpected, "
                        + sizeMismatches.size() + " size mismatches]";
    }
}
