package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** Conversions of {@link TensorData}. */
class TensorDataTest {

    @Test
    void everyHalfPrecisionValueWidensToItsExactValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            float got = TensorData.halfToFloat((short) bits);
            if (exponent == 0x1f) {
                assertTrue(mantissa == 0 ? Float.isInfinite(got) : Float.isNaN(got), Integer.toHexString(bits));
                continue;
            }
            // IEEE 754 binary16: (-1)^s * 2^(e-15) * (1 + m/1024), subnormals 2^-14 * m/1024.
            double magnitude = exponent == 0
                    ? Math.scalb(mantissa / 1024.0, -14)
                    : Math.scalb(1 + mantissa / 1024.0, exponent - 15);
            double expected = sign == 1 ? -magnitude : magnitude;
            assertEquals(expected, got, 0.0, Integer.toHexString(bits));
            assertEquals(sign == 1, (Float.floatToRawIntBits(got) >>> 31) == 1, Integer.toHexString(bits));
        }
    }

    @Test
    void theBytesAreReadOnlyAndTheShapeIsACopy() {
        TensorData t = TensorData.ofFloats(new float[] {1, 2, 3, 4}, 2, 2);
        assertThrows(ReadOnlyBufferException.class, () -> t.buffer().putFloat(0, 9));
        t.shape()[0] = 7;
        assertArrayEquals(new long[] {2, 2}, t.shape());
        assertEquals(16, t.byteSize());
        assertEquals("TensorData[torch.float32, torch.Size([2, 2])]", t.toString());
    }

    @Test
    void aShapeThatDisagreesWithTheBytesIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TensorData.of(TorchDtype.FLOAT32, new long[] {3}, ByteBuffer.allocate(8)));
        assertTrue(e.getMessage().contains("needs 12 bytes, got 8"), e.getMessage());
    }

    @Test
    void storageAndDtypeNamesMapBothWays() {
        for (TorchDtype t : TorchDtype.values()) {
            assertEquals(t, TorchDtype.ofStorageClass(t.storageClass()).orElseThrow());
            assertEquals(t, TorchDtype.ofTorchName(t.torchName()).orElseThrow());
        }
        assertEquals(TorchDtype.FLOAT32, TorchDtype.ofTorchName("float").orElseThrow());
        assertEquals(
                TorchDtype.UINT8, TorchDtype.ofStorageClass("UntypedStorage").orElseThrow());
        assertTrue(TorchDtype.ofStorageClass("ComplexFloatStorage").isEmpty());
    }
}
