package org.salistream.ops;

import ai.djl.ndarray.NDArray;

/**
 * Scaled dot-product attention {@code softmax(q kᵀ / sqrt(d)) v} in one call of libtorch's fused kernel
 * ({@code scaled_dot_product_attention}, which DJL does not expose), through the project's TorchScript module
 * ({@link TorchScriptOps}): the (N, M) attention logits are never written out, scaled, normalised and read
 * back as separate tensors. Equal to the four-op form up to float rounding; for inference only (no autograd).
 */
public final class Attention {

    private Attention() {}

    /**
     * @param q (B, heads, N, d)
     * @param k (B, heads, M, d)
     * @param v (B, heads, M, dv)
     * @return (B, heads, N, dv) in {@code q}'s manager
     */
    public static NDArray scaledDotProduct(NDArray q, NDArray k, NDArray v) {
        if (q.getShape().dimension() != 4
                || k.getShape().dimension() != 4
                || v.getShape().dimension() != 4) {
            throw new IllegalArgumentException("attention: q, k, v must be (B, heads, N, d), got " + q.getShape() + ", "
                    + k.getShape() + ", " + v.getShape());
        }
        return TorchScriptOps.call("attention", q, q, k, v);
    }
}
