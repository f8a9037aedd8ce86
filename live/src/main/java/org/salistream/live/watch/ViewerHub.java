package org.salistream.live.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.BoundingBox;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.live.EpochMicros;

/**
 * The viewer's state between the Kafka reader and the browsers: per procedure a {@link ProcedureView}; each
 * joined frame and mask rendered once ({@link OverlayRenderer}) and pushed to every browser watching that
 * procedure; alerts and ends pushed as they come; the index page's list pushed every {@link #tick()}.
 * Rendering happens only while someone watches (a browser or the recorder).
 *
 * <p>Clearing rule: a procedure's view is removed {@value #KEEP_ENDED_SECONDS} s after its end marker, or
 * {@value #KEEP_IDLE_SECONDS} s after anything was last read for it.
 */
public final class ViewerHub {

    /** Seconds an ended procedure stays listed (its page shows that it ended). */
    static final int KEEP_ENDED_SECONDS = 60;
    /** Seconds a procedure without any record stays listed. */
    static final int KEEP_IDLE_SECONDS = 600;

    /** Told of every frame shown (for {@code --record}). */
    public interface Listener {
        /** A frame and its overlay, as the browsers get them. */
        void shown(String procedureId, LiveJoin.Joined joined, OverlayRenderer.Overlay overlay, boolean alertOpen);

        /** The procedure's end marker was read (after its last mask). */
        default void ended(String procedureId) {}
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> only;
    private final Map<String, ProcedureView> views = new LinkedHashMap<>();
    private final List<SseStream> indexViewers = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** A hub for the given procedures (empty: all). */
    public ViewerHub(Set<String> only) {
        this.only = Set.copyOf(only);
    }

    /** Adds a listener of every frame shown. */
    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Whether the procedure is watched at all (the {@code --procedure} filter). */
    public boolean wants(String procedureId) {
        return only.isEmpty() || only.contains(procedureId);
    }

    /** A frame from the {@code frames} topic. */
    public void onFrame(FrameRecord f) {
        ProcedureView v = view(f.procedureId());
        v.frameSeen(f.index());
        for (LiveJoin.Joined j : joinFrame(v, f)) {
            show(v, j);
        }
    }

    /** A mask from the {@code masks} topic, read at {@code seenMicros}. */
    public void onMask(MaskEnvelope m, long seenMicros) {
        ProcedureView v = view(m.procedureId());
        v.maskSeen();
        v.visible.add((seenMicros - m.captureMicros()) / 1000.0);
        Optional<LiveJoin.Joined> j = joinMask(v, m);
        j.ifPresent(joined -> show(v, joined));
    }

    /** An alert from the {@code alerts} topic. */
    public void onAlert(AlertEvent a) {
        ProcedureView v = view(a.procedureId());
        v.alert(a);
        v.broadcast(new SseStream.Event("alert", alertJson(a, v.alertOpen()), 0));
    }

    /** An end-of-procedure marker from the {@code masks} topic. */
    public void onEnd(String procedureId, long lastIndex) {
        ProcedureView v = view(procedureId);
        v.ended(lastIndex);
        v.broadcast(new SseStream.Event("state", stateJson(v), 0));
        listeners.forEach(l -> l.ended(procedureId));
    }

    /** A browser's stream of one procedure, starting with its current state and latest frame. */
    public SseStream subscribe(String procedureId) {
        ProcedureView v = view(procedureId);
        SseStream s = new SseStream(3);
        s.offer(new SseStream.Event("state", stateJson(v), 0));
        for (AlertEvent a : v.timeline()) {
            s.offer(new SseStream.Event("alert", alertJson(a, v.alertOpen()), 0));
        }
        String last = v.lastFrameEvent();
        if (last == null && v.lastJoined() != null) {
            last = frameJson(
                    v, v.lastJoined(), OverlayRenderer.render(v.lastJoined().mask()), v.alertOpen());
            v.lastFrameEvent(last);
        }
        if (last != null) {
            s.offer(new SseStream.Event("frame", last, 0));
        }
        v.viewers.add(s);
        return s;
    }

    /** A browser's stream of the procedure list. */
    public SseStream subscribeIndex() {
        SseStream s = new SseStream(2);
        s.offer(new SseStream.Event("procedures", proceduresJson(), 0));
        indexViewers.add(s);
        return s;
    }

    /** A frame event of this procedure is on a browser's connection. */
    public void pushed(String procedureId, long captureMicros) {
        ProcedureView v;
        synchronized (this) {
            v = views.get(procedureId);
        }
        if (v != null) {
            v.pushed.add((EpochMicros.now() - captureMicros) / 1000.0);
        }
    }

    /** Latencies a browser measured from capture to drawing. */
    public void screenLatencies(String procedureId, double[] millis) {
        ProcedureView v;
        synchronized (this) {
            v = views.get(procedureId);
        }
        if (v != null) {
            for (double ms : millis) {
                if (ms >= 0 && ms < 3_600_000) {
                    v.screen.add(ms);
                }
            }
        }
    }

    /** Once a second: clears finished views and pushes the procedure list. */
    public void tick() {
        synchronized (this) {
            views.values().removeIf(v -> {
                boolean gone = v.isEnded() ? v.idleSeconds() > KEEP_ENDED_SECONDS : v.idleSeconds() > KEEP_IDLE_SECONDS;
                if (gone) {
                    v.viewers.forEach(SseStream::close);
                }
                return gone;
            });
        }
        SseStream.Event e = new SseStream.Event("procedures", proceduresJson(), 0);
        indexViewers.removeIf(s -> !s.offer(e));
    }

    /** Closes every browser's stream. */
    public synchronized void closeAll() {
        indexViewers.forEach(SseStream::close);
        views.values().forEach(v -> v.viewers.forEach(SseStream::close));
    }

    /**
     * The procedures listed now: those with frames or masks since the viewer started (not those known only from
     * the alert history); id, frames, masks, last index, alert, ended, seconds since anything came.
     */
    public synchronized String proceduresJson() {
        ArrayNode list = JSON.createArrayNode();
        for (ProcedureView v : views.values()) {
            if (v.frames() + v.masks() > 0) {
                list.add(stateNode(v));
            }
        }
        return list.toString();
    }

    /** Per procedure: counts and latency percentiles (visible, pushed, screen), for the benchmark and tests. */
    public synchronized String statsJson() {
        ObjectNode all = JSON.createObjectNode();
        for (ProcedureView v : views.values()) {
            ObjectNode n = stateNode(v);
            latency(n, "visible", v.visible);
            latency(n, "pushed", v.pushed);
            latency(n, "screen", v.screen);
            all.set(v.id, n);
        }
        return all.toString();
    }

    /** The kept latency samples of one procedure ({@code visible}, {@code pushed} or {@code screen}), or empty. */
    public synchronized double[] latencies(String procedureId, String kind) {
        ProcedureView v = views.get(procedureId);
        if (v == null) {
            return new double[0];
        }
        return switch (kind) {
            case "visible" -> v.visible.samples();
            case "pushed" -> v.pushed.samples();
            case "screen" -> v.screen.samples();
            default -> throw new IllegalArgumentException("no latency kind '" + kind + "'");
        };
    }

    private synchronized ProcedureView view(String id) {
        return views.computeIfAbsent(id, ProcedureView::new);
    }

    private synchronized List<LiveJoin.Joined> joinFrame(ProcedureView v, FrameRecord f) {
        return v.join.onFrame(f);
    }

    private synchronized Optional<LiveJoin.Joined> joinMask(ProcedureView v, MaskEnvelope m) {
        return v.join.onMask(m);
    }

    private void show(ProcedureView v, LiveJoin.Joined j) {
        if (v.viewers.isEmpty() && listeners.isEmpty()) {
            v.lastJoined(j); // kept for a browser that connects later, not rendered now
            return;
        }
        OverlayRenderer.Overlay overlay = OverlayRenderer.render(j.mask());
        v.shownRate.mark();
        boolean alert = v.alertOpen();
        String json = frameJson(v, j, overlay, alert);
        v.lastFrameEvent(json);
        v.broadcast(new SseStream.Event("frame", json, j.frame().captureMicros()));
        for (Listener l : listeners) {
            l.shown(v.id, j, overlay, alert);
        }
    }

    private static String frameJson(
            ProcedureView v, LiveJoin.Joined j, OverlayRenderer.Overlay overlay, boolean alert) {
        MaskEnvelope m = j.mask();
        FrameRecord f = j.frame();
        ObjectNode n = JSON.createObjectNode();
        n.put("procedure", v.id);
        n.put("frameIndex", f.index());
        n.put("maskIndex", m.frameIndex());
        n.put("exact", j.exact());
        n.put("captureUs", f.captureMicros());
        n.put("emitUs", m.emitMicros());
        n.put("sentUs", EpochMicros.now());
        n.put("width", f.width());
        n.put("height", f.height());
        n.put("maxProbability", m.maxProbability());
        n.put("area", m.area());
        ArrayNode boxes = n.putArray("boxes");
        for (BoundingBox b : m.boxes()) {
            boxes.addObject()
                    .put("x", b.x())
                    .put("y", b.y())
                    .put("w", b.w())
                    .put("h", b.h())
                    .put("score", b.score());
        }
        n.put("alert", alert);
        n.put("fps", Math.round(v.shownRate.perSecond() * 10) / 10.0);
        n.put(
                "frame",
                "data:" + f.contentType() + ";base64," + Base64.getEncoder().encodeToString(f.bytes()));
        n.put("overlay", "data:image/png;base64," + Base64.getEncoder().encodeToString(overlay.png()));
        return n.toString();
    }

    private static String alertJson(AlertEvent a, boolean open) {
        ObjectNode n = JSON.createObjectNode();
        n.put("procedure", a.procedureId());
        n.put("type", a.type().name());
        n.put("frameIndex", a.frameIndex());
        n.put("firstFrameIndex", a.firstFrameIndex());
        n.put("lastFrameIndex", a.lastFrameIndex());
        n.put("captureUs", a.captureMicros());
        n.put("confidence", a.confidence());
        n.put("open", open);
        return n.toString();
    }

    private static String stateJson(ProcedureView v) {
        return stateNode(v).toString();
    }

    private static ObjectNode stateNode(ProcedureView v) {
        ObjectNode n = JSON.createObjectNode();
        n.put("procedure", v.id);
        n.put("frames", v.frames());
        n.put("masks", v.masks());
        n.put("lastIndex", v.lastIndex());
        n.put("alert", v.alertOpen());
        n.put("ended", v.isEnded());
        n.put("endIndex", v.endIndex());
        n.put("idleSeconds", Math.round(v.idleSeconds()));
        n.put("viewers", v.viewers.size());
        return n;
    }

    private static void latency(ObjectNode n, String name, LatencyWindow w) {
        ObjectNode l = n.putObject(name);
        l.put("count", w.count());
        l.put("p50", w.percentile(50));
        l.put("p99", w.percentile(99));
    }
}
