package org.salistream.live.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.salistream.kafka.AlertEvent;
import org.salistream.live.RateMeter;

/**
 * What the viewer knows of one procedure: the frame/mask join, the alert state and its timeline, the
 * browsers watching it, and its latencies. Cleared by {@link ViewerHub} a while after the procedure ends or
 * goes quiet.
 */
final class ProcedureView {

    /** Alerts kept for the timeline. */
    static final int TIMELINE = 200;

    final String id;
    final LiveJoin join = new LiveJoin(100, 8);
    final List<SseStream> viewers = new CopyOnWriteArrayList<>();
    /** Capture to the mask being read by the viewer (the isolation level's visibility). */
    final LatencyWindow visible = new LatencyWindow(2000);
    /** Capture to the frame event being on a browser's connection. */
    final LatencyWindow pushed = new LatencyWindow(2000);
    /** Capture to the frame being drawn, as the browsers report it. */
    final LatencyWindow screen = new LatencyWindow(2000);

    final RateMeter shownRate = new RateMeter(25);
    private final ArrayDeque<AlertEvent> timeline = new ArrayDeque<>();
    private boolean alertOpen;
    private long lastActivityNanos = System.nanoTime();
    private long endedNanos;
    private long endIndex = -1;
    private long frames;
    private long masks;
    private long lastIndex = -1;
    private String lastFrameEvent;
    private LiveJoin.Joined lastJoined;

    ProcedureView(String id) {
        this.id = id;
    }

    synchronized void frameSeen(long index) {
        frames++;
        lastIndex = Math.max(lastIndex, index);
        lastActivityNanos = System.nanoTime();
    }

    synchronized void maskSeen() {
        masks++;
        lastActivityNanos = System.nanoTime();
    }

    synchronized void alert(AlertEvent a) {
        timeline.addLast(a);
        if (timeline.size() > TIMELINE) {
            timeline.pollFirst();
        }
        alertOpen = a.type() == AlertEvent.Type.APPEARED;
        lastActivityNanos = System.nanoTime();
    }

    synchronized void ended(long last) {
        endIndex = last;
        endedNanos = System.nanoTime();
        lastActivityNanos = endedNanos;
    }

    synchronized boolean alertOpen() {
        return alertOpen;
    }

    synchronized boolean isEnded() {
        return endedNanos != 0;
    }

    synchronized long endIndex() {
        return endIndex;
    }

    synchronized long frames() {
        return frames;
    }

    synchronized long masks() {
        return masks;
    }

    synchronized long lastIndex() {
        return lastIndex;
    }

    synchronized List<AlertEvent> timeline() {
        return new ArrayList<>(timeline);
    }

    synchronized double idleSeconds() {
        return (System.nanoTime() - lastActivityNanos) / 1e9;
    }

    /** The latest frame event, sent first to a browser that connects. */
    synchronized String lastFrameEvent() {
        return lastFrameEvent;
    }

    synchronized void lastFrameEvent(String json) {
        lastFrameEvent = json;
    }

    /** The latest frame and mask joined while nobody watched (rendered only if a browser connects). */
    synchronized LiveJoin.Joined lastJoined() {
        return lastJoined;
    }

    synchronized void lastJoined(LiveJoin.Joined joined) {
        lastJoined = joined;
        lastFrameEvent = null;
    }

    /** Sends an event to every browser watching, forgetting those that left. */
    void broadcast(SseStream.Event e) {
        for (SseStream s : viewers) {
            if (!s.offer(e)) {
                viewers.remove(s);
            }
        }
    }
}
