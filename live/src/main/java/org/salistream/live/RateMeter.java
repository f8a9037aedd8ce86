package org.salistream.live;

/**
 * Events per second over the last {@code window} events (capture rate, frames shown), from their
 * {@link System#nanoTime()} stamps. Thread-safe.
 */
public final class RateMeter {

    private final long[] times;
    private long count;

    /** A meter over the last {@code window} events (at least 2). */
    public RateMeter(int window) {
        if (window < 2) {
            throw new IllegalArgumentException("a rate needs a window of at least 2 events");
        }
        this.times = new long[window];
    }

    /** Notes one event now. */
    public synchronized void mark() {
        times[(int) (count++ % times.length)] = System.nanoTime();
    }

    /** Events per second over the window; 0 before two events, or when the last was long ago (over 5 s). */
    public synchronized double perSecond() {
        long n = Math.min(count, times.length);
        if (n < 2) {
            return 0;
        }
        long newest = times[(int) ((count - 1) % times.length)];
        long oldest = times[(int) ((count - n) % times.length)];
        if (System.nanoTime() - newest > 5_000_000_000L || newest <= oldest) {
            return 0;
        }
        return (n - 1) * 1e9 / (newest - oldest);
    }
}
