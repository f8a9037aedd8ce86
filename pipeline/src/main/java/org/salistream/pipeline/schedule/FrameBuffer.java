package org.salistream.pipeline.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.salistream.pipeline.events.FrameEvent;

/**
 * The SALI operator's micro-batch: frames (and procedure ends) gathered until running them now is the
 * better choice. A batch can only hold one frame per procedure and model call (a procedure's frames are
 * segmented in order), so it is full as soon as every <em>live</em> procedure has a frame in it: waiting
 * longer could only bring a frame that cannot join the batch. A procedure is live while its last frame is
 * younger than the live window; an end makes it leave at once. So with one procedure on the stream each
 * frame runs the moment it arrives, and {@code batch.max-wait} only bounds the wait for a live procedure
 * whose next frame is late.
 *
 * <p>Plain logic over processing-time milliseconds; not thread-safe; nothing of it is checkpointed (the
 * operator runs the buffer before every checkpoint barrier, and the live set rebuilds from arriving frames).
 */
public final class FrameBuffer {

    private final BatchPolicy policy;
    private List<FrameEvent> events = new ArrayList<>();
    private final Set<String> inBatch = new HashSet<>();
    private final Map<String, Long> lastFrameAt = new HashMap<>();
    private int frames;
    private long firstAt = -1;

    /** An empty buffer. */
    public FrameBuffer(BatchPolicy policy) {
        this.policy = policy;
    }

    /**
     * Adds an event arriving at {@code now}.
     *
     * @return true when the buffer should run now; otherwise it should run at {@link #deadline()}
     */
    public boolean add(FrameEvent e, long now) {
        events.add(e);
        if (e.isEnd()) {
            lastFrameAt.remove(e.procedureId);
            return true; // an end is never worth a wait: its waiting frame can run at once
        }
        frames++;
        inBatch.add(e.procedureId);
        lastFrameAt.put(e.procedureId, now);
        if (firstAt < 0) {
            firstAt = now;
        }
        return frames >= policy.maxSize()
                || inBatch.size() >= Math.min(policy.maxSize(), liveProcedures(now))
                || now >= deadline();
    }

    /** Procedures with a frame within the live window before {@code now} (forgetting older ones). */
    public int liveProcedures(long now) {
        for (Iterator<Long> it = lastFrameAt.values().iterator(); it.hasNext(); ) {
            if (now - it.next() > policy.liveWindowMillis()) {
                it.remove();
            }
        }
        return lastFrameAt.size();
    }

    /** When the buffered frames must run at the latest, or -1 when the buffer holds no frame. */
    public long deadline() {
        return firstAt < 0 ? -1 : firstAt + policy.maxWaitMillis();
    }

    /** Events buffered. */
    public int size() {
        return events.size();
    }

    /** Whether nothing is buffered. */
    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** Takes every buffered event, in arrival order, and empties the buffer. */
    public List<FrameEvent> drain() {
        List<FrameEvent> out = events;
        events = new ArrayList<>();
        inBatch.clear();
        frames = 0;
        firstAt = -1;
        return out;
    }
}
