package org.salistream.trainer.step;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Provokes what a training loop's allocations do between a forward and a backward pass: garbage
 * collections that free unreachable direct buffers, and new small direct buffers that reuse their memory
 * (filled with NaN, so that a tensor still reading freed memory shows it).
 */
final class GcPressure {

    private GcPressure() {}

    static void collectAndReuse() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            List<ByteBuffer> junk = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 * (1 + i % 4));
                for (int j = 0; j < b.capacity(); j += 4) {
                    b.putFloat(j, Float.NaN);
                }
                junk.add(b);
            }
        }
    }
}
