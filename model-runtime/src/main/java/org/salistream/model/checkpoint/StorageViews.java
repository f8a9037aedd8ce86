package org.salistream.model.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Takes a tensor's view of its storage, as {@code torch._utils._rebuild_tensor_v2} does with
 * {@code tensor.set_(storage, storage_offset, size, stride)}, and returns it contiguous: element
 * {@code (i0, ..., in)} of the tensor is storage element {@code offset + sum(ik * stride[k])}. A view that
 * is already contiguous shares the storage bytes; any other (a transpose, a slice) is gathered.
 */
final class StorageViews {

    private StorageViews() {}

    /**
     * The contiguous tensor a view describes.
     *
     * @param name the tensor's state-dict key, for messages
     * @param storage the storage's little-endian bytes (not copied when the view is contiguous)
     * @param where the storage entry, for messages
     * @throws CheckpointException if the view reaches past the storage or has negative strides
     */
    static TensorData view(String name, TensorRef t, byte[] storage, String where) throws CheckpointException {
        try {
            return checkedView(name, t, storage, where);
        } catch (ArithmeticException e) {
            throw new CheckpointException(
                    "tensor '" + name + "' has a size, stride or offset so large that its"
                            + " extent overflows (corrupt checkpoint): " + t,
                    e);
        }
    }

    private static TensorData checkedView(String name, TensorRef t, byte[] storage, String where)
            throws CheckpointException {
        int elem = t.dtype().elementSize();
        long[] size = t.size();
        long[] stride = t.stride();
        long numel = 1;
        long last = t.storageOffset(); // highest storage element the view touches
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new CheckpointException("tensor '" + name + "' has a negative size or stride: size "
                        + Arrays.toString(size) + ", stride " + Arrays.toString(stride));
            }
            numel = Math.multiplyExact(numel, size[d]);
            if (size[d] > 0) {
                last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
            }
        }
        if (t.storageOffset() < 0) {
            throw new CheckpointException("tensor '" + name + "' has a negative storage offset " + t.storageOffset());
        }
        if (numel * elem > Integer.MAX_VALUE) {
            throw new CheckpointException("tensor '" + name + "' of shape " + Arrays.toString(size) + " holds " + numel
                    + " elements, more than one Java array can");
        }
        long held = Math.min(storage.length / elem, t.storage().numel());
        if (numel > 0 && last >= held) {
            throw new CheckpointException("tensor '" + name + "' (" + t.dtype() + ", size " + Arrays.toString(size)
                    + ", stride " + Arrays.toString(stride) + ", offset " + t.storageOffset()
                    + ") reaches storage element "
                    + last + ", but the storage " + where + " holds only " + held + " elements (" + storage.length
                    + " bytes, " + t.storage().numel() + " declared): the storage is too short for the view"
                    + " (truncated or inconsistent checkpoint)");
        }
        if (numel == 0) {
            return TensorData.of(t.dtype(), size, ByteBuffer.allocate(0));
        }
        if (t.isContiguous()) {
            return TensorData.of(
                    t.dtype(), size, ByteBuffer.wrap(storage, (int) (t.storageOffset() * elem), (int) (numel * elem)));
        }
        return TensorData.of(t.dtype(), size, ByteBuffer.wrap(gather(t, storage, elem, (int) numel)));
    }

    /** Copies the view's elements in C order; the last dimension is copied in one run where its stride is 1. */
    private static byte[] gather(TensorRef t, byte[] storage, int elem, int numel) {
        long[] size = t.size();
        long[] stride = t.stride();
        byte[] out = new byte[numel * elem];
        int rank = size.length;
        if (rank == 0) {
            System.arraycopy(storage, (int) (t.storageOffset() * elem), out, 0, elem);
            return out;
        }
        int inner = (int) size[rank - 1];
        long innerStride = stride[rank - 1];
        long[] index = new long[rank - 1];
        int o = 0;
        while (true) {
            long base = t.storageOffset();
            for (int d = 0; d < rank - 1; d++) {
                base += index[d] * stride[d];
            }
            if (innerStride == 1) {
                System.arraycopy(storage, (int) (base * elem), out, o, inner * elem);
                o += inner * elem;
            } else {
                for (int j = 0; j < inner; j++) {
                    System.arraycopy(storage, (int) ((base + j * innerStride) * elem), out, o, elem);
                    o += elem;
                }
            }
            // Odometer over the outer dimensions, last one fastest (C order).
            int d = rank - 2;
            while (d >= 0 && ++index[d] == size[d]) {
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return out;
            }
        }
    }

    /** Reverses the bytes of every element in place (big-endian storage to little-endian). */
    static void swapBytes(byte[] b, int elem) {
        if (elem == 1) {
            return;
        }
        for (int i = 0; i + elem <= b.length; i += elem) {
            for (int lo = i, hi = i + elem - 1; lo < hi; lo++, hi--) {
                byte x = b[lo];
                b[lo] = b[hi];
                b[hi] = x;
            }
        }
    }
}
