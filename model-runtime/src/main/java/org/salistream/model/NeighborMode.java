package org.salistream.model;

import java.util.Locale;
import org.salistream.codec.Coded;

/**
 * Which adjacent frame serves as SALI's short-term neighbour. Checkpointed by its {@link #code()}, which equals
 * the ordinal the first release stored, so that both versions of the window state read through the codes.
 */
public enum NeighborMode implements Coded {
    /**
     * The published behaviour: frame t is segmented with frame t+1, the last frame with t-1 (a single-frame
     * procedure with itself). One frame of latency.
     */
    NEXT(0),
    /** Causal: frame t with frame t-1, the first frame with itself. No added latency. */
    PREVIOUS(1);

    private final int code;

    NeighborMode(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    /** Parses {@code next} or {@code previous}. */
    public static NeighborMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("neighbour mode must be 'next' or 'previous', got '" + s + "'", e);
        }
    }

    /** The lower-case name used in configuration. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
