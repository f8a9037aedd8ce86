package org.salistream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.salistream.ops.testing.NdTesting;

/** The fused attention equals {@code softmax(q kᵀ / sqrt(d)) v} written out, in float64 and float32. */
class AttentionTest {

    @Test
    void fusedAttentionEqualsTheFourOperationForm() {
        for (DataType dt : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray q = m.randomNormal(0, 1, new Shape(2, 3, 50, 16), dt); // (B, heads, N, d)
                NDArray k = m.randomNormal(0, 1, new Shape(2, 3, 9, 16), dt); // (B, heads, M, d)
                NDArray v = m.randomNormal(0, 1, new Shape(2, 3, 9, 8), dt); // (B, heads, M, dv)
                NDArray scale = m.full(new Shape(), 0.25f).toType(dt, false); // 16^-0.5
                NDArray want =
                        q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).softmax(-1).matMul(v);
                NDArray got = Attention.scaledDotProduct(q, k, v);
                assertEquals(new Shape(2, 3, 50, 8), got.getShape());
                assertEquals(dt, got.getDataType());
                NdTesting.assertClose(
                        "attention " + dt,
                        NdTesting.values(want),
                        NdTesting.values(got),
                        dt == DataType.FLOAT64 ? 1e-12 : 1e-5,
                        true);
            }
        }
    }

    @Test
    void aMissingHeadAxisIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(2, 5, 4));
            assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(x, x, x));
        }
    }
}
