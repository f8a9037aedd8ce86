package org.salistream.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.datasets.eval.DetectionMetrics;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.AlertEventSerde;
import org.salistream.kafka.BoundingBox;

/**
 * Alert files hold the alerts topic's own JSON values, one per line (what {@code sali tail --topic alerts}
 * prints): written and read with {@link AlertEventSerde}, turned into episodes per procedure (an alert never
 * cleared stays open), and a line that is not an event is named.
 */
class AlertFileTest {

    private static final AlertEvent.Hysteresis RULE = new AlertEvent.Hysteresis(3, 5, 5, 0.5f);

    private static AlertEvent event(String p, AlertEvent.Type t, long frame, long first) {
        return new AlertEvent(
                p,
                t,
                frame,
                first,
                frame,
                1_000_000 + frame,
                2_000_000 + frame,
                0.9f,
                t == AlertEvent.Type.APPEARED ? new BoundingBox(1, 2, 30, 40, 0.9f) : null,
                RULE);
    }

    @Test
    void eventsRoundTripAsTopicValuesAndPairIntoEpisodes(@TempDir Path dir) throws IOException {
        List<AlertEvent> events = List.of(
                event("p1", AlertEvent.Type.APPEARED, 12, 10),
                event("p2", AlertEvent.Type.APPEARED, 5, 3),
                event("p1", AlertEvent.Type.CLEARED, 20, 10));
        Path file = dir.resolve("alerts.jsonl");
        AlertFile.write(file, events);
        List<String> lines = Files.readAllLines(file);
        assertEquals(
                new String(AlertEventSerde.encode(events.get(0)), StandardCharsets.UTF_8),
                lines.get(0),
                "each line is exactly the topic's value");
        assertEquals(events, AlertFile.read(file));
        List<DetectionMetrics.Episode> eps = AlertFile.episodes(file);
        assertEquals(
                List.of(
                        new DetectionMetrics.Episode("p1", 10, 12, 20),
                        new DetectionMetrics.Episode("p2", 3, 5, Long.MAX_VALUE)),
                eps);
    }

    @Test
    void aLineThatIsNotAnAlertIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(
                file,
                new String(AlertEventSerde.encode(event("p", AlertEvent.Type.APPEARED, 1, 0)), StandardCharsets.UTF_8)
                        + "\n\n{\"version\":1}\n");
        IOException e = assertThrows(IOException.class, () -> AlertFile.read(file));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }
}
