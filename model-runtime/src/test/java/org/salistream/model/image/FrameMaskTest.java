package org.salistream.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The published output map: sigmoid, min-max normalisation, {@code np.uint8(p * 255)} (which truncates),
 * at the frame size.
 */
class FrameMaskTest {

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    @Test
    void theEightBitMapTruncatesAsNumpysUint8Cast() {
        double logit9995 = Math.log(0.9995 / 0.0005); // sigmoid = 0.9995: 254.87 truncates to 254
        float[] logits = {-20f, 20f, (float) logit9995, 0f};
        FrameMask m = FrameMask.fromLogits(logits, 2, 2, 2);
        // min ~2e-9 and max ~1 - 2e-9 (1.0 in float): 0 -> 0, max -> 255, 0.5 -> 127.5 -> 127 (rounding: 128).
        assertArrayEquals(new int[] {0, 255, 254, 127}, unsigned(m.normalized8()));
        assertEquals(0.5f, m.probability()[3]);
        assertEquals(1f, m.maxProbability());
    }

    @Test
    void aConstantMapIsAllZero() {
        FrameMask m = FrameMask.fromLogits(new float[] {3f, 3f, 3f, 3f}, 2, 2, 2);
        assertArrayEquals(new int[] {0, 0, 0, 0}, unsigned(m.normalized8()));
        assertEquals((float) (1 / (1 + Math.exp(-3))), m.maxProbability(), 1e-7);
    }

    @Test
    void theMaskComesBackAtTheFrameSizeAndThresholdsTheProbability() {
        float[] logits = new float[4 * 4];
        logits[5] = 8f; // one confident position at (1, 1) of the 4x4 model output
        java.util.Arrays.fill(logits, 0, 4, -8f);
        FrameMask m = FrameMask.fromLogits(logits, 4, 8, 6);
        assertEquals(8, m.width());
        assertEquals(6, m.height());
        assertEquals(48, m.probability().length);
        boolean[] mask = m.binary(0.9f);
        int on = 0;
        for (boolean b : mask) {
            on += b ? 1 : 0;
        }
        // (1, 1) of 4x4 maps to columns ~2..3 and rows ~1..2 of 8x6; only pixels near it pass 0.9.
        assertEquals(true, mask[1 * 8 + 2] || mask[2 * 8 + 2] || mask[1 * 8 + 3] || mask[2 * 8 + 3]);
        assertEquals(true, on > 0 && on < 8, on + " pixels");
    }
}
