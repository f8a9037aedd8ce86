package org.salistream.pipeline.state;

import java.util.Arrays;

/**
 * Per-procedure bookkeeping of the SALI operator: the last accepted frame index and a short history of
 * recent indices (to tell a late duplicate, which is dropped and counted, from a frame index going
 * backwards, which is dead-lettered), counters, the idle-timer deadline, the metadata of frames waiting for
 * their neighbour, and whether the procedure has ended (a tombstone kept until the idle timeout so that a
 * late frame is dead-lettered instead of silently opening a new procedure). A Flink POJO.
 */
public class ProcedureProgress {

    /** How many recent indices are remembered for duplicate detection. */
    public static final int RECENT = 64;

    /** Last accepted frame index, or -1. */
    public long lastIndex = -1;
    /** Recently accepted indices, a ring of {@link #RECENT}. */
    public long[] recent = new long[0];
    /** Next write position in {@link #recent}. */
    public int recentPos;
    /** Frames accepted. */
    public long framesIn;
    /** Frames segmented and emitted. */
    public long framesOut;
    /** Late duplicates dropped. */
    public long duplicates;
    /** Processing-time deadline of the idle timer, or -1. */
    public long idleDeadline = -1;
    /** Whether the end-of-procedure arrived (this is then a tombstone). */
    public boolean ended;
    /** Metadata of accepted frames not yet emitted (at most two). */
    public FrameMeta[] held = new FrameMeta[0];

    /** For Flink. */
    public ProcedureProgress() {
    }

    /** Whether {@code index} was accepted recently. */
    public boolean seenRecently(long index) {
        for (long r : recent) {
            if (r == index) {
                return true;
            }
        }
        return false;
    }

    /** Records an accepted frame. */
    public void accept(FrameMeta meta) {
        lastIndex = meta.index;
        framesIn++;
        if (recent.length < RECENT) {
            recent = Arrays.copyOf(recent, recent.length + 1);
            recent[recent.length - 1] = meta.index;
        } else {
            recent[recentPos] = meta.index;
            recentPos = (recentPos + 1) % RECENT;
        }
        held = Arrays.copyOf(held, held.length + 1);
        held[held.length - 1] = meta;
    }

    /** Removes and returns the metadata of an emitted frame. */
    public FrameMeta take(long index) {
        for (int i = 0; i < held.length; i++) {
            if (held[i].index == index) {
                FrameMeta m = held[i];
                FrameMeta[] rest = new FrameMeta[held.length - 1];
                System.arraycopy(held, 0, rest, 0, i);
                System.arraycopy(held, i + 1, rest, i, held.length - i - 1);
                held = rest;
                framesOut++;
                return m;
            }
        }
        throw new IllegalStateException("no metadata held for frame " + index);
    }
}
