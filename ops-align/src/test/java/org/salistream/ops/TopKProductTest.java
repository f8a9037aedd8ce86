package org.salistream.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The blocked top-k of a product gives {@code topk(a.matMul(b))}: the same indices and values, over a number
 * of rows that is not a multiple of the block, with a batch of two, in both float types.
 */
class TopKProductTest {

    @Test
    void blocksOfRowsGiveTheTopKOfTheWholeProduct() {
        for (DataType dt : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray a = m.randomNormal(0, 1, new Shape(2, 2 * TopKProduct.CPU_ROWS + 5, 5), dt); // (B, Q, K)
                NDArray b = m.randomNormal(0, 1, new Shape(2, 5, 300), dt); // (B, K, N)
                NDList want = a.matMul(b).topK(20, 2, true, true);
                NDList got = TopKProduct.largest(a, b, 20);
                assertEquals(
                        new Shape(2, 2 * TopKProduct.CPU_ROWS + 5, 20),
                        got.get(0).getShape());
                assertEquals(dt, got.get(0).getDataType());
                assertArrayEquals(want.get(1).toLongArray(), got.get(1).toLongArray(), "indices " + dt);
                assertArrayEquals(
                        want.get(0).toType(DataType.FLOAT64, false).toDoubleArray(),
                        got.get(0).toType(DataType.FLOAT64, false).toDoubleArray(),
                        1e-5,
                        "values " + dt);
            }
        }
    }

    @Test
    void shapesThatDoNotMultiplyAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.zeros(new Shape(1, 4, 5));
            NDArray b = m.zeros(new Shape(1, 6, 9));
            assertEquals(
                    "topk product: a (B, Q, K) and b (B, K, N) expected, got (1, 4, 5) and (1, 6, 9)",
                    assertThrows(IllegalArgumentException.class, () -> TopKProduct.largest(a, b, 3))
                            .getMessage());
            assertThrows(IllegalArgumentException.class, () -> TopKProduct.largest(a, m.zeros(new Shape(1, 5, 2)), 3));
        }
    }
}
