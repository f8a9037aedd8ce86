package org.salistream.ops.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One array read from or written to NumPy's {@code .npy} format: its dtype, its shape (C order) and its raw
 * little-endian bytes.
 *
 * <p>Only the dtypes that this project exchanges are understood: {@code <f4}, {@code <f8}, {@code <i8},
 * {@code <i4}, {@code |u1} and {@code |b1}. Conversions widen or narrow as NumPy's {@code astype} would.
 */
public final class NpyArray {

    private final String dtype;
    private final long[] shape;
    private final ByteBuffer data;

    /**
     * @param dtype NumPy's descr string, e.g. {@code <f4}
     * @param shape the shape, C order; an empty array is a scalar
     * @param data exactly {@code product(shape) * itemSize(dtype)} bytes, little-endian
     */
    public NpyArray(String dtype, long[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long expected = size() * itemSize(dtype);
        if (this.data.remaining() != expected) {
            throw new IllegalArgumentException("npy data holds " + this.data.remaining() + " bytes, shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        }
    }

    /** A float32 array of the given shape. */
    public static NpyArray ofFloats(float[] values, long... shape) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return new NpyArray("<f4", shape, buf);
    }

    /** A float64 array of the given shape. */
    public static NpyArray ofDoubles(double[] values, long... shape) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(values);
        return new NpyArray("<f8", shape, buf);
    }

    /** NumPy's descr string. */
    public String dtype() {
        return dtype;
    }

    /** The shape (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    /** The shape as ints (a copy); fails for dimensions over {@code Integer.MAX_VALUE}. */
    public int[] intShape() {
        return Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
    }

    /** Number of elements. */
    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The raw little-endian bytes (a read-only view). */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The values as float32, converted from the stored dtype. */
    public float[] toFloatArray() {
        int n = Math.toIntExact(size());
        float[] out = new float[n];
        ByteBuffer b = data();
        if (dtype.equals("<f4")) {
            b.asFloatBuffer().get(out);
        } else {
            for (int i = 0; i < n; i++) out[i] = (float) valueAt(b, i);
        }
        return out;
    }

    /** The values as float64, converted from the stored dtype. */
    public double[] toDoubleArray() {
        int n = Math.toIntExact(size());
        double[] out = new double[n];
        ByteBuffer b = data();
        if (dtype.equals("<f8")) {
            b.asDoubleBuffer().get(out);
        } else {
            for (int i = 0; i < n; i++) out[i] = valueAt(b, i);
        }
        return out;
    }

    /**
     * Element {@code i} of the stored dtype as a double: exact for every dtype read here (float32, the
     * integers the golden files hold, bytes and booleans), so narrowing it to float rounds once.
     */
    private double valueAt(ByteBuffer b, int i) {
        return switch (dtype) {
            case "<f8" -> b.getDouble(i * 8);
            case "<f4" -> b.getFloat(i * 4);
            case "<i8" -> b.getLong(i * 8);
            case "<i4" -> b.getInt(i * 4);
            case "|u1" -> b.get(i) & 0xFF;
            case "|b1" -> b.get(i) != 0 ? 1 : 0;
            default -> throw new IllegalStateException("unsupported dtype " + dtype);
        };
    }

    /** The values as int64; fails for floating dtypes. */
    public long[] toLongArray() {
        int n = Math.toIntExact(size());
        long[] out = new long[n];
        ByteBuffer b = data();
        switch (dtype) {
            case "<i8" -> b.asLongBuffer().get(out);
            case "<i4" -> {
                for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4);
            }
            case "|u1" -> {
                for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xFF;
            }
            case "|b1" -> {
                for (int i = 0; i < n; i++) out[i] = b.get(i) != 0 ? 1 : 0;
            }
            default -> throw new IllegalStateException("not an integer dtype: " + dtype);
        }
        return out;
    }

    /** Bytes per element of a supported dtype. */
    static int itemSize(String dtype) {
        return switch (dtype) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|u1", "|b1" -> 1;
            default ->
                throw new IllegalArgumentException(
                        "unsupported npy dtype '" + dtype + "' (supported: <f4 <f8 <i8 <i4 |u1 |b1)");
        };
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
