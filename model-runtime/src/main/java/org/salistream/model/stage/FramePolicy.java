package org.salistream.model.stage;

/**
 * What a frame does with the long-term memory, following the published {@code test_video.py} with batch 1:
 * the first frame of a procedure clears the memory, reads with its own keys and values as memory, and is
 * added; every {@code mem_freq}-th frame after it reads (counting usage) and is added; the others only read.
 */
public enum FramePolicy {
    /** First frame: clear, read from itself, add. */
    START(false, true),
    /** Read from memory (counting usage), then add. */
    READ_AND_ADD(true, true),
    /** Read from memory (counting usage) only. */
    READ(true, false);

    private final boolean readsMemory;
    private final boolean adds;

    FramePolicy(boolean readsMemory, boolean adds) {
        this.readsMemory = readsMemory;
        this.adds = adds;
    }

    /**
     * The policy of the frame at {@code ordinal} (0-based position among the procedure's processed frames).
     *
     * @param memFreq the published {@code mem_freq}
     */
    public static FramePolicy forOrdinal(long ordinal, int memFreq) {
        if (memFreq <= 0) {
            throw new IllegalArgumentException("mem_freq must be positive, got " + memFreq);
        }
        if (ordinal < 0) {
            throw new IllegalArgumentException("frame ordinal must not be negative, got " + ordinal);
        }
        if (ordinal == 0) {
            return START;
        }
        return ordinal % memFreq == 0 ? READ_AND_ADD : READ;
    }

    /** Whether the frame reads the stored memory (false: it reads its own keys and values). */
    public boolean readsMemory() {
        return readsMemory;
    }

    /** Whether the frame is added to the memory after its mask is computed. */
    public boolean adds() {
        return adds;
    }
}
