package org.salistream.kafka;

import java.util.Locale;

/**
 * How fast a {@link ReplayClient} sends frames: {@code realtime} (one frame every 1/fps seconds),
 * {@code max} (as fast as the producer takes them) or a speed factor {@code Nx} ({@code 2x} = twice
 * real time, {@code 0.5x} = half). Deadlines are absolute (start + i * interval), so a slow send
 * is caught up rather than accumulated as drift.
 *
 * @param speed frames are sent {@code speed} times faster than real time; infinite for {@code max}
 * @param fps   the recording's frame rate (default {@value #DEFAULT_FPS})
 */
public record Pacing(double speed, double fps) {

    /** Frame rate assumed when none is given (colonoscopy video is usually 25 or 30 fps). */
    public static final double DEFAULT_FPS = 25.0;

    /** Checks speed > 0 (or infinite) and 0 < fps <= 1000. */
    public Pacing {
        if (!(speed > 0) || Double.isNaN(speed)) {
            throw new IllegalArgumentException("speed must be > 0, got " + speed);
        }
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
    }

    /** Real time at {@code fps}. */
    public static Pacing realtime(double fps) {
        return new Pacing(1.0, fps);
    }

    /** As fast as possible. */
    public static Pacing max() {
        return new Pacing(Double.POSITIVE_INFINITY, DEFAULT_FPS);
    }

    /** Parses {@code realtime}, {@code max} or {@code <factor>x} (e.g. {@code 2x}, {@code 0.5x}) at the default fps. */
    public static Pacing parse(String spec) {
        return parse(spec, DEFAULT_FPS);
    }

    /** Parses {@code realtime}, {@code max} or {@code <factor>x} (case-insensitive) at the given fps. */
    public static Pacing parse(String spec, double fps) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("realtime")) {
            return new Pacing(1.0, fps);
        }
        if (s.equals("max")) {
            return new Pacing(Double.POSITIVE_INFINITY, fps);
        }
        if (s.endsWith("x") && s.length() > 1) {
            String number = s.substring(0, s.length() - 1);
            if (number.matches("[0-9]+(\\.[0-9]+)?")) {
                double factor = Double.parseDouble(number);
                if (factor > 0) {
                    return new Pacing(factor, fps);
                }
            }
        }
        throw new IllegalArgumentException(
                "pacing must be 'realtime', 'max' or a speed factor like '2x' or '0.5x', got '" + spec + "'");
    }

    /** Whether frames are sent without waiting. */
    public boolean isMax() {
        return Double.isInfinite(speed);
    }

    /** Nanoseconds between frames; 0 for {@code max}. */
    public long intervalNanos() {
        return isMax() ? 0 : Math.round(1e9 / (fps * speed));
    }

    /** The spec this pacing parses from, with its fps: {@code realtime@25fps}, {@code 2x@25fps}, {@code max}. */
    @Override
    public String toString() {
        if (isMax()) {
            return "max";
        }
        String f = fps == Math.rint(fps) ? Long.toString((long) fps) : Double.toString(fps);
        if (speed == 1.0) {
            return "realtime@" + f + "fps";
        }
        String x = speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
        return x + "x@" + f + "fps";
    }
}
