package org.salistream.live.ingest;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decides the region of each captured frame that is sent: the whole frame, a fixed region, or the
 * endoscope's field found by {@link FieldDetector} on the first frames and followed when it changes.
 *
 * <p>Following is deliberately slow: the field is looked for again every {@code recheckEvery} frames, and a
 * different field (an edge moved by more than 2% of the frame, at least 4 pixels) is taken only after
 * {@code confirmations} checks in a row agree on it, so that a dark frame, a flash or an instrument in the
 * border never makes the crop jump. Until a field is found the whole frame is sent.
 */
public final class CropTracker {

    private final CropSpec spec;
    private final FieldDetector detector = new FieldDetector();
    private final int recheckEvery;
    private final int confirmations;
    private final Consumer<String> log;
    private Crop current;
    private Crop candidate;
    private int agreeing;
    private int width;
    private int height;
    private long frames;

    /**
     * @param spec          what {@code --crop} asked for
     * @param recheckEvery  frames between two looks for the field (auto)
     * @param confirmations checks in a row that must agree before the crop changes (auto)
     * @param log           told when the crop is set or changes (no pixels, only the region)
     */
    public CropTracker(CropSpec spec, int recheckEvery, int confirmations, Consumer<String> log) {
        if (recheckEvery < 1 || confirmations < 1) {
            throw new IllegalArgumentException("recheck interval and confirmations must be >= 1");
        }
        this.spec = spec;
        this.recheckEvery = recheckEvery;
        this.confirmations = confirmations;
        this.log = log;
    }

    /** The region to send of this frame. */
    public Crop update(BgrImage frame) {
        if (frame.width() != width || frame.height() != height) {
            // A new picture size (the source changed resolution, or the first frame): start over.
            width = frame.width();
            height = frame.height();
            current = null;
            candidate = null;
            agreeing = 0;
            frames = 0;
            spec.requireFits(width, height);
        }
        frames++;
        switch (spec.mode()) {
            case NONE:
                return Crop.whole(width, height);
            case FIXED:
                return spec.fixed();
            default:
                return follow(frame);
        }
    }

    /** The region in use, or null before the first frame (or before a field was found). */
    public Crop current() {
        return current;
    }

    private Crop follow(BgrImage frame) {
        if (current == null) {
            Optional<Crop> found = detector.detect(frame);
            if (found.isPresent()) {
                current = found.get();
                log.accept("field of view " + describe(current) + " of the " + width + "x" + height + " frame");
            }
            return current == null ? Crop.whole(width, height) : current;
        }
        if (frames % recheckEvery == 0) {
            Optional<Crop> found = detector.detect(frame);
            int tolerance = Math.max(4, Math.min(width, height) / 50);
            if (found.isEmpty() || found.get().edgeDistance(current) <= tolerance) {
                candidate = null;
                agreeing = 0;
            } else if (candidate != null && found.get().edgeDistance(candidate) <= tolerance) {
                if (++agreeing >= confirmations) {
                    log.accept("field of view changed from " + describe(current) + " to " + describe(found.get()));
                    current = found.get();
                    candidate = null;
                    agreeing = 0;
                }
            } else {
                candidate = found.get();
                agreeing = 1;
                if (confirmations == 1) {
                    log.accept("field of view changed from " + describe(current) + " to " + describe(candidate));
                    current = candidate;
                    candidate = null;
                    agreeing = 0;
                }
            }
        }
        return current;
    }

    private static String describe(Crop c) {
        return c.width() + "x" + c.height() + " at " + c.x() + "," + c.y();
    }
}
