package org.salistream.live.ingest;

import java.time.Duration;
import java.util.Random;

/**
 * Capped exponential back-off between attempts to reopen a source: {@code initial}, twice that, ... up to
 * {@code max}, each moved by up to 10% either way at random (several gateways that lost the same camera do not retry
 * in lock step). {@link #reset()} after a success.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final Random random;
    private long next;
    private int attempts;

    /** Back-off from {@code initial} doubling up to {@code max}. */
    public Backoff(Duration initial, Duration max, long seed) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = new Random(seed);
        reset();
    }

    /** The wait before the next attempt. */
    public Duration next() {
        long base = next;
        next = Math.min(maxNanos, next * 2);
        attempts++;
        long jitter = (long) (base * 0.2 * (random.nextDouble() - 0.5));
        return Duration.ofNanos(Math.min(maxNanos, base + jitter));
    }

    /** Attempts since the last reset. */
    public int attempts() {
        return attempts;
    }

    /** Starts again from the initial wait. */
    public void reset() {
        next = initialNanos;
        attempts = 0;
    }
}
