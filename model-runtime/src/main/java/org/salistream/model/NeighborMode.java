package org.salistream.model;

import java.util.Locale;

/** Which adjacent frame serves as SALI's short-term neighbour. */
public enum NeighborMode {
    /**
     * The published behaviour: frame t is segmented with frame t+1, the last frame with t-1 (a single-frame
     * procedure with itself). One frame of latency.
     */
    NEXT,
    /** Causal: frame t with frame t-1, the first frame with itself. No added latency. */
    PREVIOUS;

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
