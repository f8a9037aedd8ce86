package org.salistream.pipeline.state;

import java.util.Arrays;

/**
 * Per-procedure bookkeeping of the SALI operator: the last accepted frame index and a short history of
 * recent indices (to tell a late duplicate, which is dropped and counted, from a frame index going
 * backwards, which is dead-lettered), counters, the idle-timer deadline, the metadata of frames waiting for
 * their neighbour, the model failures in a row, and whether the procedure has ended (a tombstone kept until
 * the idle timeout so that a late frame is dead-lettered instead of silently opening a new procedure). A
 * Flink POJO.
 *
 * <p>Format history: {@link #modelFailures}, {@link #framesFailed} and {@link #closedReason} were added after
 * the first release; its checkpoints restore with them at 0 and null (POJO schema evolution, tested by
 * {@code SaliOperatorRestoreTest} on a snapshot that release wrote).
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
    /** Frames dead-lettered because the model failed on them or their procedure was closed. */
    public long framesFailed;
    /** Model failures in a row (reset by every frame segmented). */
    public int modelFailures;
    /** Processing-time deadline of the idle timer, or -1. */
    public long idleDeadline = -1;
    /** Whether the end-of-procedure arrived or the procedure was closed (this is then a tombstone). */
    public boolean ended;
    /** Why the procedure was closed before its end-of-procedure record, or null. */
    public String closedReason;
    /** Metadata of accepted frames not yet emitted (at most two). */
    public FrameMeta[] held = new FrameMeta[0];

    /** For Flink. */
    public ProcedureProgress() {}

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
        FrameMeta m = remove(index);
        framesOut++;
        modelFailures = 0;
        return m;
    }

    /** Removes and returns the metadata of a frame the model failed on, counting the failure. */
    public FrameMeta fail(long index) {
        FrameMeta m = remove(index);
        framesFailed++;
        modelFailures++;
        return m;
    }

    /** Removes and returns the metadata of a frame of a closed procedure, which will never be segmented. */
    public FrameMeta drop(long index) {
        FrameMeta m = remove(index);
        framesFailed++;
        return m;
    }

    /** Turns this into the tombstone of an ended or closed procedure. */
    public void tombstone() {
        ended = true;
        held = new FrameMeta[0];
    }

    private FrameMeta remove(long index) {
        for (int i = 0; i < held.length; i++) {
            if (held[i].index == index) {
                FrameMeta m = held[i];
                FrameMeta[] rest = new FrameMeta[held.length - 1];
                System.arraycopy(held, 0, rest, 0, i);
                System.arraycopy(held, i + 1, rest, i, held.length - i - 1);
                held = rest;
                return m;
            }
        }
        throw new IllegalStateException("no metadata held for frame " + index);
    }
}
