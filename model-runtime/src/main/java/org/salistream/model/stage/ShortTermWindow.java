package org.salistream.model.stage;

import java.util.List;
import java.util.Objects;
import org.salistream.model.NeighborMode;

/**
 * The short-term window of one procedure as an immutable value: the encoded frames still needed to pair
 * each frame with its neighbour (see {@link NeighborMode}), and the ordinal of the next frame to segment.
 * At most two frames are held ({@code next} mode: the previous frame and the one waiting for its
 * successor; {@code previous} mode: the previous frame).
 *
 * <p>A stream processor keeps it in keyed state: {@link #accept} for each arriving frame and
 * {@link #finish} at the end of the procedure (or when it goes idle) return the frames that are ready to
 * segment, in order, with the window to keep.
 */
public final class ShortTermWindow {

    /** A frame ready to segment: its index, ordinal (for {@link FramePolicy#forOrdinal}), and the pair. */
    public record Ready(long index, long ordinal, FrameFeatures current, FrameFeatures neighbour) {}

    /** The window after a step, and the frames the step made ready. */
    public record Step(ShortTermWindow window, List<Ready> ready) {}

    /** A frame held in the window. */
    public record Held(long index, FrameFeatures features) {}

    private final NeighborMode mode;
    private final long nextOrdinal;
    private final Held previous;
    private final Held pending;

    private ShortTermWindow(NeighborMode mode, long nextOrdinal, Held previous, Held pending) {
        this.mode = mode;
        this.nextOrdinal = nextOrdinal;
        this.previous = previous;
        this.pending = pending;
    }

    /** The window of a new procedure. */
    public static ShortTermWindow start(NeighborMode mode) {
        return new ShortTermWindow(Objects.requireNonNull(mode), 0, null, null);
    }

    /** A window from its parts (for deserialisation). */
    public static ShortTermWindow of(NeighborMode mode, long nextOrdinal, Held previous, Held pending) {
        return new ShortTermWindow(mode, nextOrdinal, previous, pending);
    }

    /** Takes the next frame of the procedure. */
    public Step accept(long index, FrameFeatures features) {
        Held f = new Held(index, features);
        if (mode == NeighborMode.PREVIOUS) {
            Ready r = new Ready(index, nextOrdinal, features, previous == null ? features : previous.features());
            return new Step(new ShortTermWindow(mode, nextOrdinal + 1, f, null), List.of(r));
        }
        if (pending == null) {
            return new Step(new ShortTermWindow(mode, nextOrdinal, previous, f), List.of());
        }
        Ready r = new Ready(pending.index(), nextOrdinal, pending.features(), features);
        return new Step(new ShortTermWindow(mode, nextOrdinal + 1, pending, f), List.of(r));
    }

    /**
     * Ends the procedure: in {@code next} mode the waiting frame is segmented with its predecessor (with
     * itself when it is the only frame), as the published loader pairs the last frame.
     */
    public Step finish() {
        if (pending == null) {
            return new Step(new ShortTermWindow(mode, nextOrdinal, previous, null), List.of());
        }
        FrameFeatures nbr = previous == null ? pending.features() : previous.features();
        Ready r = new Ready(pending.index(), nextOrdinal, pending.features(), nbr);
        return new Step(new ShortTermWindow(mode, nextOrdinal + 1, pending, null), List.of(r));
    }

    /** The neighbour mode. */
    public NeighborMode mode() {
        return mode;
    }

    /** Ordinal of the next frame to be made ready. */
    public long nextOrdinal() {
        return nextOrdinal;
    }

    /** The last frame made ready (or accepted, in previous mode), or null. */
    public Held previous() {
        return previous;
    }

    /** The frame waiting for its successor ({@code next} mode), or null. */
    public Held pending() {
        return pending;
    }

    /** Bytes of features held. */
    public long byteSize() {
        return (previous == null ? 0 : previous.features().byteSize())
                + (pending == null ? 0 : pending.features().byteSize());
    }
}
