package org.salistream.model.checkpoint;

import java.util.Locale;
import java.util.Optional;

/**
 * The element types a {@code torch.save} checkpoint can hold that this reader understands, with the names
 * PyTorch pickles them under: the typed storage class ({@code torch.FloatStorage}, ... as written by
 * {@code torch.serialization._save}'s {@code persistent_id}) and the dtype objects ({@code torch.float32},
 * alias {@code torch.float}, ... as they appear in tensor metadata).
 *
 * <p>Complex and quantized dtypes are absent on purpose: no SALI checkpoint holds them, and a file that
 * does is refused with the storage class named.
 */
public enum TorchDtype {
    /** {@code torch.float32}, storage {@code FloatStorage}. */
    FLOAT32("float32", "FloatStorage", 4, true, "float"),
    /** {@code torch.float64}, storage {@code DoubleStorage}. */
    FLOAT64("float64", "DoubleStorage", 8, true, "double"),
    /** {@code torch.float16}, storage {@code HalfStorage}; IEEE 754 binary16. */
    FLOAT16("float16", "HalfStorage", 2, true, "half"),
    /** {@code torch.bfloat16}, storage {@code BFloat16Storage}: the upper half of a float32. */
    BFLOAT16("bfloat16", "BFloat16Storage", 2, true, null),
    /** {@code torch.int64}, storage {@code LongStorage} (BatchNorm's {@code num_batches_tracked}). */
    INT64("int64", "LongStorage", 8, false, "long"),
    /** {@code torch.int32}, storage {@code IntStorage}. */
    INT32("int32", "IntStorage", 4, false, "int"),
    /** {@code torch.int16}, storage {@code ShortStorage}. */
    INT16("int16", "ShortStorage", 2, false, "short"),
    /** {@code torch.int8}, storage {@code CharStorage}. */
    INT8("int8", "CharStorage", 1, false, null),
    /** {@code torch.uint8}, storage {@code ByteStorage}; also the dtype of an untyped storage. */
    UINT8("uint8", "ByteStorage", 1, false, null),
    /** {@code torch.bool}, storage {@code BoolStorage}; one byte per element, 0 or 1. */
    BOOL("bool", "BoolStorage", 1, false, null);

    private final String torchName;
    private final String storageClass;
    private final int elementSize;
    private final boolean floatingPoint;
    private final String alias;

    TorchDtype(String torchName, String storageClass, int elementSize, boolean floatingPoint, String alias) {
        this.torchName = torchName;
        this.storageClass = storageClass;
        this.elementSize = elementSize;
        this.floatingPoint = floatingPoint;
        this.alias = alias;
    }

    /** The name after {@code torch.}, e.g. {@code float32}. */
    public String torchName() {
        return torchName;
    }

    /** The typed storage class after {@code torch.}, e.g. {@code FloatStorage}. */
    public String storageClass() {
        return storageClass;
    }

    /** Bytes per element. */
    public int elementSize() {
        return elementSize;
    }

    /** Whether the type is a floating-point one (float16/bfloat16/float32/float64). */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /**
     * The dtype of a typed storage class name such as {@code FloatStorage}; {@code UntypedStorage} (the
     * byte storage of PyTorch 2) maps to {@link #UINT8}.
     */
    public static Optional<TorchDtype> ofStorageClass(String name) {
        if ("UntypedStorage".equals(name)) {
            return Optional.of(UINT8);
        }
        for (TorchDtype t : values()) {
            if (t.storageClass.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The dtype of a {@code torch.<name>} dtype object, e.g. {@code float32} or its alias {@code float}. */
    public static Optional<TorchDtype> ofTorchName(String name) {
        for (TorchDtype t : values()) {
            if (t.torchName.equals(name) || name.equals(t.alias)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "torch." + torchName.toLowerCase(Locale.ROOT);
    }
}
