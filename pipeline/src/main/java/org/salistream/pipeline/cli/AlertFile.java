package org.salistream.pipeline.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.salistream.datasets.eval.DetectionMetrics;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.AlertEventSerde;

/**
 * A file of alert events, one JSON value per line exactly as on the {@code alerts} topic ({@link AlertEventSerde}),
 * which {@code sali tail --topic alerts} prints and the demo writes; and the alert episodes it describes, for
 * the detection metrics ({@code sali eval --alerts}).
 */
public final class AlertFile {

    private AlertFile() {}

    /**
     * The events of a file, in file order; blank lines are skipped.
     *
     * @throws IOException naming the line that is not an alert event
     */
    public static List<AlertEvent> read(Path file) throws IOException {
        List<AlertEvent> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) {
                continue;
            }
            try {
                out.add(AlertEventSerde.decode(l.getBytes(StandardCharsets.UTF_8)));
            } catch (SerializationException | IllegalArgumentException e) {
                throw new IOException(file + ": line " + (i + 1) + " is not an alert event: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Writes events, one JSON value per line. */
    public static void write(Path file, List<AlertEvent> events) throws IOException {
        StringBuilder b = new StringBuilder();
        for (AlertEvent e : events) {
            b.append(new String(AlertEventSerde.encode(e), StandardCharsets.UTF_8))
                    .append('\n');
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    /** The episodes of a file ({@code sali eval --alerts}). */
    public static List<DetectionMetrics.Episode> episodes(Path file) throws IOException {
        return episodes(read(file));
    }

    /**
     * Pairs each procedure's APPEARED event with the CLEARED that follows it (an alert never cleared stays
     * open to the end); events of a procedure are taken in frame order.
     */
    public static List<DetectionMetrics.Episode> episodes(List<AlertEvent> events) {
        List<AlertEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(AlertEvent::procedureId)
                .thenComparingLong(AlertEvent::frameIndex)
                .thenComparing(e -> e.type() == AlertEvent.Type.CLEARED ? 0 : 1));
        List<DetectionMetrics.Episode> out = new ArrayList<>();
        Map<String, AlertEvent> open = new HashMap<>();
        for (AlertEvent e : sorted) {
            if (e.type() == AlertEvent.Type.APPEARED) {
                AlertEvent before = open.put(e.procedureId(), e);
                if (before != null) { // two openings in a row: the first ends where the second starts
                    out.add(new DetectionMetrics.Episode(
                            e.procedureId(), before.firstFrameIndex(), before.frameIndex(), e.frameIndex()));
                }
            } else {
                AlertEvent a = open.remove(e.procedureId());
                if (a != null) {
                    out.add(new DetectionMetrics.Episode(
                            e.procedureId(), a.firstFrameIndex(), a.frameIndex(), e.frameIndex()));
                }
            }
        }
        open.values()
                .forEach(a -> out.add(new DetectionMetrics.Episode(
                        a.procedureId(), a.firstFrameIndex(), a.frameIndex(), Long.MAX_VALUE)));
        return out;
    }
}
