package org.salistream.live;

import java.time.Instant;

/** Wall-clock time in microseconds since the Unix epoch: the unit of the contract's capture and emit times. */
public final class EpochMicros {

    private EpochMicros() {}

    /** Now. */
    public static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
