package org.salistream.kafka;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link MaskConsumer} or {@link AlertConsumer} has read so far: the values per procedure in
 * partition order, the procedures whose end-of-procedure marker was seen, and whether the last read
 * stopped at its timeout rather than at its condition. Views are unmodifiable; the reader keeps adding
 * to them across reads.
 *
 * @param <V> the value type
 */
public final class TopicReadout<V> {

    private final Map<String, List<V>> byProcedure = new LinkedHashMap<>();
    private final Set<String> ended = new LinkedHashSet<>();
    private long total;
    private boolean timedOut;

    TopicReadout() {}

    void add(String procedureId, V value) {
        byProcedure.computeIfAbsent(procedureId, k -> new ArrayList<>()).add(value);
        total++;
    }

    void markEnded(String procedureId) {
        ended.add(procedureId);
    }

    void setTimedOut(boolean timedOut) {
        this.timedOut = timedOut;
    }

    /** The values read for one procedure, in the order they were written (empty when none). */
    public List<V> values(String procedureId) {
        return Collections.unmodifiableList(byProcedure.getOrDefault(procedureId, List.of()));
    }

    /** How many values were read for one procedure. */
    public int count(String procedureId) {
        return byProcedure.getOrDefault(procedureId, List.of()).size();
    }

    /** Every procedure with at least one value, in first-seen order. */
    public Set<String> procedures() {
        return Collections.unmodifiableSet(byProcedure.keySet());
    }

    /** Whether the end-of-procedure marker of this procedure was read. */
    public boolean ended(String procedureId) {
        return ended.contains(procedureId);
    }

    /** The procedures whose end-of-procedure marker was read. */
    public Set<String> endedProcedures() {
        return Collections.unmodifiableSet(ended);
    }

    /** All values read, over all procedures. */
    public long total() {
        return total;
    }

    /** Whether the last read returned because its timeout passed before its condition held. */
    public boolean timedOut() {
        return timedOut;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TopicReadout[");
        byProcedure.forEach(
                (k, v) -> sb.append(k).append('=').append(v.size()).append(ended.contains(k) ? "(ended) " : " "));
        return sb.append("total=")
                .append(total)
                .append(timedOut ? " timed out]" : "]")
                .toString();
    }
}
