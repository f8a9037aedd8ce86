package org.salistream.kafka;

import java.util.Locale;

/**
 * How a reader of {@code masks} and {@code alerts} sees the pipeline's transactions.
 *
 * <ul>
 *   <li>{@link #COMMITTED} ({@code isolation.level=read_committed}): only results of committed
 *       transactions, i.e. once per checkpoint (2 s by default). Each mask exactly once, even across a
 *       pipeline failure: records, EHR integrations and evaluation read this way.</li>
 *   <li>{@link #LIVE} ({@code read_uncommitted}): results as soon as the job writes them, milliseconds after
 *       the model. After a pipeline failure a mask of the aborted transaction may be shown once and then
 *       again from the replayed frames: fine for a screen next to the endoscope's monitor, not for a record.</li>
 * </ul>
 */
public enum ReadIsolation {
    /** {@code read_committed}: exactly once, visible at each checkpoint. */
    COMMITTED("read_committed"),
    /** {@code read_uncommitted}: visible at once; an aborted result may show once after a failure. */
    LIVE("read_uncommitted");

    private final String kafkaValue;

    ReadIsolation(String kafkaValue) {
        this.kafkaValue = kafkaValue;
    }

    /** The {@code isolation.level} value. */
    public String kafkaValue() {
        return kafkaValue;
    }

    /** Parses {@code committed} or {@code live} (case-insensitive). */
    public static ReadIsolation parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "committed" -> COMMITTED;
            case "live" -> LIVE;
            default ->
                throw new IllegalArgumentException("isolation must be 'committed' (read_committed, exactly once) or"
                        + " 'live' (read_uncommitted, lowest latency), got '" + s + "'");
        };
    }

    /** {@code committed} or {@code live}, as parsed. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
