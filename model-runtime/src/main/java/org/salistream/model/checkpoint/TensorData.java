package org.salistream.model.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * One tensor of a state dict: its dtype, its shape and its elements in C (row-major, contiguous) order as
 * little-endian bytes, whatever storage offset and strides the checkpoint's view had (the reader gathers
 * them as {@code tensor.contiguous()} would).
 *
 * <p>The bytes are held once, read-only; {@link #toFloatArray()} and friends convert on request (float16
 * and bfloat16 widen exactly to float32, as {@code tensor.float()} does).
 */
public final class TensorData {

    private final TorchDtype dtype;
    private final long[] shape;
    private final int numel;
    private final ByteBuffer data;

    private TensorData(TorchDtype dtype, long[] shape, ByteBuffer data) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " has " + n
                    + " elements, more than a Java array holds");
        }
        this.numel = (int) n;
        ByteBuffer view = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        long expected = n * dtype.elementSize();
        if (view.remaining() != expected) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape) + " needs "
                    + expected + " bytes, got " + view.remaining());
        }
        this.data = view.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A tensor over the given little-endian, C-order bytes (from the buffer's position to its limit; the
     * buffer is not copied, so the caller must not change it afterwards).
     */
    public static TensorData of(TorchDtype dtype, long[] shape, ByteBuffer littleEndianBytes) {
        return new TensorData(dtype, shape, littleEndianBytes);
    }

    /** A float32 tensor holding a copy of the values. */
    public static TensorData ofFloats(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new TensorData(TorchDtype.FLOAT32, shape, b);
    }

    /** An int64 tensor holding a copy of the values. */
    public static TensorData ofLongs(long[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new TensorData(TorchDtype.INT64, shape, b);
    }

    /** The element type as stored in the checkpoint. */
    public TorchDtype dtype() {
        return dtype;
    }

    /** The shape (a copy); empty for a scalar such as {@code num_batches_tracked}. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements (1 for a scalar). */
    public int numel() {
        return numel;
    }

    /** The number of bytes the elements take. */
    public long byteSize() {
        return (long) numel * dtype.elementSize();
    }

    /** The raw little-endian, C-order bytes as a read-only buffer positioned at 0. */
    public ByteBuffer buffer() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The elements as float32, converted from any dtype (float64 rounds, integers convert as Java casts). */
    public float[] toFloatArray() {
        float[] out = new float[numel];
        ByteBuffer b = buffer();
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().get(out);
            case FLOAT16 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = halfToFloat(b.getShort(2 * i));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < numel; i++) {
                    // bfloat16 is the upper 16 bits of a float32: widening is a shift.
                    out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            default -> {
                long[] l = integerValues(b);
                for (int i = 0; i < numel; i++) {
                    out[i] = l[i];
                }
            }
        }
        return out;
    }

    /** The elements as float64, converted from any dtype (exact for every float dtype). */
    public double[] toDoubleArray() {
        if (dtype == TorchDtype.FLOAT64) {
            double[] out = new double[numel];
            buffer().asDoubleBuffer().get(out);
            return out;
        }
        if (!dtype.isFloatingPoint()) {
            return Arrays.stream(integerValues(buffer())).asDoubleStream().toArray();
        }
        float[] f = toFloatArray();
        double[] out = new double[numel];
        for (int i = 0; i < numel; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /**
     * The elements as int64; only for integer and bool dtypes, because truncating floating-point weights
     * silently would hide a mapping mistake.
     *
     * @throws IllegalStateException for a floating-point tensor
     */
    public long[] toLongArray() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException("toLongArray() needs an integer or bool tensor; this one is " + dtype
                    + " of shape " + Arrays.toString(shape) + " (use toFloatArray())");
        }
        return integerValues(buffer());
    }

    private long[] integerValues(ByteBuffer b) {
        long[] out = new long[numel];
        switch (dtype) {
            case INT64 -> b.asLongBuffer().get(out);
            case INT32 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = b.getInt(4 * i);
                }
            }
            case INT16 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = b.getShort(2 * i);
                }
            }
            case INT8 -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = b.get(i);
                }
            }
            case UINT8, BOOL -> {
                for (int i = 0; i < numel; i++) {
                    out[i] = b.get(i) & 0xff;
                }
            }
            default -> throw new IllegalStateException("not an integer dtype: " + dtype);
        }
        return out;
    }

    /**
     * IEEE 754 binary16 to binary32, exact for every value (normal, subnormal, signed zero, infinity and
     * NaN with its payload), as {@code Float.float16ToFloat} of Java 20 does.
     */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float32.
            float v = mantissa * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        // Rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** PyTorch's rendering of a shape, e.g. {@code torch.Size([32, 3, 7, 7])} or {@code torch.Size([])}. */
    public static String torchSize(long[] shape) {
        StringJoiner j = new StringJoiner(", ", "torch.Size([", "])");
        for (long d : shape) {
            j.add(Long.toString(d));
        }
        return j.toString();
    }

    @Override
    public String toString() {
        return "TensorData[" + dtype + ", " + torchSize(shape) + "]";
    }
}
