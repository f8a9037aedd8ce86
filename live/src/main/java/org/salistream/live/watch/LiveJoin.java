package org.salistream.live.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.salistream.kafka.MaskEnvelope;

/**
 * Joins one procedure's frames and masks by frame index, in bounded memory, never waiting. Frames arrive
 * first (the model takes time), so the last {@code maxFrames} frames are kept; a mask is shown on its own
 * frame. A mask whose frame is no longer kept (evicted, or never read: the viewer started mid-stream) is
 * shown on the next kept frame after it; a mask that arrives before its frame waits, at most
 * {@code maxWaiting} of them (the oldest waiting mask is dropped beyond that), until that frame or a later
 * one arrives. Not thread-safe: one Kafka reading thread drives it.
 */
public final class LiveJoin {

    /**
     * A frame and the mask to draw on it.
     *
     * @param frame the frame shown
     * @param mask  the mask drawn
     * @param exact whether the mask is the frame's own (false: the frame after the mask's, whose own was gone)
     */
    public record Joined(FrameRecord frame, MaskEnvelope mask, boolean exact) {}

    private final int maxFrames;
    private final int maxWaiting;
    private final LinkedHashMap<Long, FrameRecord> frames = new LinkedHashMap<>();
    private final ArrayDeque<MaskEnvelope> waiting = new ArrayDeque<>();
    private long newestFrame = -1;
    private long droppedMasks;

    /** A join keeping {@code maxFrames} frames and {@code maxWaiting} early masks. */
    public LiveJoin(int maxFrames, int maxWaiting) {
        if (maxFrames < 1 || maxWaiting < 1) {
            throw new IllegalArgumentException("the join needs room for at least one frame and one mask");
        }
        this.maxFrames = maxFrames;
        this.maxWaiting = maxWaiting;
    }

    /** Keeps a frame; returns the waiting masks it completes (its own, and older ones whose frame is gone). */
    public List<Joined> onFrame(FrameRecord f) {
        frames.put(f.index(), f);
        newestFrame = Math.max(newestFrame, f.index());
        if (frames.size() > maxFrames) {
            Iterator<Map.Entry<Long, FrameRecord>> it = frames.entrySet().iterator();
            it.next();
            it.remove();
        }
        List<Joined> out = new ArrayList<>();
        while (!waiting.isEmpty() && waiting.peekFirst().frameIndex() <= f.index()) {
            MaskEnvelope m = waiting.pollFirst();
            FrameRecord own = frames.get(m.frameIndex());
            out.add(own != null ? new Joined(own, m, true) : new Joined(f, m, false));
        }
        return out;
    }

    /** Joins a mask with its frame, or the next kept frame; empty when it has to wait for its frame. */
    public Optional<Joined> onMask(MaskEnvelope m) {
        FrameRecord own = frames.get(m.frameIndex());
        if (own != null) {
            return Optional.of(new Joined(own, m, true));
        }
        if (m.frameIndex() < newestFrame) {
            for (FrameRecord f : frames.values()) {
                if (f.index() > m.frameIndex()) {
                    return Optional.of(new Joined(f, m, false));
                }
            }
        }
        waiting.addLast(m);
        if (waiting.size() > maxWaiting) {
            waiting.pollFirst();
            droppedMasks++;
        }
        return Optional.empty();
    }

    /** Frames kept now. */
    public int framesKept() {
        return frames.size();
    }

    /** Masks waiting for their frame now. */
    public int masksWaiting() {
        return waiting.size();
    }

    /** Masks dropped because too many waited for their frames. */
    public long droppedMasks() {
        return droppedMasks;
    }
}
