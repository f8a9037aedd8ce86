package org.salistream.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Host-built constants placed beside an input: on its manager, on its device, in its dtype. The ops of this
 * package never assume the CPU, so every helper array goes through here.
 *
 * <p>On the CPU, DJL's PyTorch {@code NDManager.create(double[])} wraps a Java direct buffer with
 * {@code torch::from_blob}: libtorch does not own that memory, and closing the NDArray lets the buffer go
 * while autograd may still hold the tensor (e.g. saved by {@code matMul} for its backward), which corrupts
 * the gradients. Each constant is therefore copied once into memory that libtorch owns (a clone, or the copy
 * to another device), after which closing it is safe.
 */
final class DeviceArrays {

    private DeviceArrays() {}

    /** {@code values} (row-major, built in double precision) as an NDArray shaped and placed like {@code like}. */
    static NDArray constant(NDArray like, double[] values, Shape shape) {
        NDArray a;
        if (like.getDataType() == DataType.FLOAT64) {
            a = like.getManager().create(values, shape);
        } else {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            a = like.getManager().create(f, shape);
            if (like.getDataType() != DataType.FLOAT32) {
                NDArray cast = a.toType(like.getDataType(), false);
                a.close();
                a = cast;
            }
        }
        // Both branches copy into libtorch-owned memory; the Java-backed original is released at once.
        NDArray owned = a.getDevice().equals(like.getDevice()) ? a.duplicate() : a.toDevice(like.getDevice(), true);
        a.close();
        return owned;
    }
}
