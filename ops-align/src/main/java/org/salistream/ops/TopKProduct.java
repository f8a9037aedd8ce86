package org.salistream.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;

/**
 * The {@code k} largest entries of each row of a batched matrix product, without the whole product: on the
 * CPU it is formed a block of rows at a time (in cache) and each block reduced to its top-k at once, in one
 * call of the project's TorchScript module ({@link TorchScriptOps}). For SALI's memory read (1 936 query
 * positions against up to 67 760 memory entries at 1/8 of a 352 frame) this avoids writing and reading back
 * 131 M affinities per frame. The values are those of {@code topk(a.matMul(b), k, 2)}; for inference only
 * (no autograd through it).
 */
public final class TopKProduct {

    /** Rows per block on the CPU: 16 rows of 67 760 floats (4.3 MB) stay in the last-level cache. */
    static final int CPU_ROWS = 16;

    private TopKProduct() {}

    /**
     * @param a (B, Q, K)
     * @param b (B, K, N), same dtype and device
     * @param k how many to keep per row, at most N
     * @return the values (B, Q, k), largest first, and their column indices (B, Q, k, int64), in
     *     {@code a}'s manager
     */
    public static NDList largest(NDArray a, NDArray b, int k) {
        long[] as = a.getShape().getShape();
        long[] bs = b.getShape().getShape();
        if (as.length != 3 || bs.length != 3 || as[0] != bs[0] || as[2] != bs[1]) {
            throw new IllegalArgumentException(
                    "topk product: a (B, Q, K) and b (B, K, N) expected, got " + a.getShape() + " and " + b.getShape());
        }
        if (k < 1 || k > bs[2]) {
            throw new IllegalArgumentException("topk product: k = " + k + " must be in 1.." + bs[2]);
        }
        // A GPU prefers one large product to many small kernels.
        long rows = a.getDevice().isGpu() ? Math.max(1, as[1]) : CPU_ROWS;
        IValue[] in = {IValue.from((PtNDArray) a), IValue.from((PtNDArray) b), IValue.from((long) k), IValue.from(rows)
        };
        try (IValue out = IValueUtils.runMethod(TorchScriptOps.module(), "topk_product", in)) {
            return out.toNDList((PtNDManager) a.getManager());
        } finally {
            for (IValue v : in) {
                v.close();
            }
        }
    }
}
