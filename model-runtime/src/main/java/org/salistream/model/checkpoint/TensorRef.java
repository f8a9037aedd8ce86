package org.salistream.model.checkpoint;

import java.util.Arrays;

/**
 * A tensor as the pickle describes it, before its bytes are read: the arguments of
 * {@code torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
 * backward_hooks[, metadata])}. Offset and strides count elements of the storage's dtype.
 *
 * @param storage where the elements live
 * @param dtype the tensor's element type (that of its typed storage)
 * @param storageOffset index of the first element in the storage
 * @param size the shape
 * @param stride the step in the storage per index of each dimension
 * @param parameter whether it was saved as an {@code nn.Parameter} ({@code _rebuild_parameter})
 */
record TensorRef(
        StorageRef storage, TorchDtype dtype, long storageOffset, long[] size, long[] stride, boolean parameter) {

    TensorRef asParameter() {
        return new TensorRef(storage, dtype, storageOffset, size, stride, true);
    }

    /** Whether the view is the storage's elements in C order from the offset (no gather needed). */
    boolean isContiguous() {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            // Dimensions of extent 1 may carry any stride, as torch's is_contiguous() allows.
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    long numel() {
        long n = 1;
        for (long d : size) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return "tensor(" + dtype + ", size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                + ", offset " + storageOffset + ", storage " + storage.key() + ")";
    }
}
