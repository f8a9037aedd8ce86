package org.salistream.pipeline.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * How {@link PipelineConfig} reads one value: integers, unit fractions, durations and closed word lists,
 * each failing with a one-line message that names the key and the value given, so that a bad configuration
 * is refused at the entry point and never at the first frame.
 */
final class ConfigValues {

    private ConfigValues() {}

    /** {@code value} if it is one of {@code allowed}. */
    static String oneOf(String key, String value, String... allowed) {
        if (!Set.of(allowed).contains(value)) {
            throw new IllegalArgumentException(
                    key + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
        }
        return value;
    }

    /** {@code value} as an integer above zero. */
    static int positive(String key, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v <= 0) {
                throw new IllegalArgumentException(key + " must be positive, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'", e);
        }
    }

    /** {@code value} as a number within [0, 1]. */
    static float unit(String key, String value) {
        try {
            float v = Float.parseFloat(value);
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException(key + " must be within [0, 1], got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'", e);
        }
    }

    /**
     * Parses a duration like {@code 20ms}, {@code 30s}, {@code 5m} (a bare number is milliseconds).
     *
     * @param name named in the error, e.g. the configuration key or option
     * @throws IllegalArgumentException for a malformed, infinite or negative duration
     */
    static Duration duration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(
                        Long.parseLong(v.substring(0, v.length() - 2).trim()));
            } else if (v.endsWith("s")) {
                double seconds =
                        Double.parseDouble(v.substring(0, v.length() - 1).trim());
                if (!Double.isFinite(seconds)) {
                    throw new NumberFormatException("not finite");
                }
                d = Duration.ofMillis(Math.round(seconds * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(
                        Long.parseLong(v.substring(0, v.length() - 1).trim()));
            } else {
                d = Duration.ofMillis(Long.parseLong(v));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + " must be a duration like 20ms, 30s or 5m, got '" + value + "'", e);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got '" + value + "'");
        }
        return d;
    }
}
