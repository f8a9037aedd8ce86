package org.salistream.live.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salistream.kafka.AlertEvent;

class ViewerHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWatchedProcedureGetsItsJoinedFramesWithOverlayAndItsAlertsInOrder() throws Exception {
        ViewerHub hub = new ViewerHub(Set.of());
        SseStream stream = hub.subscribe("p");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread browser = new Thread(() -> {
            try {
                stream.pump(out, written::add);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        browser.start();
        hub.onFrame(LiveJoinTest.frame(0));
        hub.onMask(LiveJoinTest.mask(0), 1_100_000);
        hub.onAlert(new AlertEvent(
                "p",
                AlertEvent.Type.APPEARED,
                0,
                0,
                0,
                1_000_000,
                1_200_000,
                0.9f,
                null,
                new AlertEvent.Hysteresis(1, 1, 1, 0.5f)));
        hub.onEnd("p", 0);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).contains("\"ended\":true") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        stream.close();
        browser.join();
        List<String> events = new ArrayList<>();
        JsonNode frame = null;
        for (String block : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
            if (block.startsWith("event: ")) {
                String name = block.substring(7, block.indexOf('\n'));
                events.add(name);
                if (name.equals("frame")) {
                    frame = JSON.readTree(block.substring(block.indexOf("data: ") + 6));
                }
            }
        }
        assertEquals(List.of("frame", "alert", "state"), events.subList(events.size() - 3, events.size()));
        assertEquals(0, frame.get("frameIndex").asLong());
        assertTrue(frame.get("exact").asBoolean());
        assertTrue(frame.get("frame").asText().startsWith("data:image/jpeg;base64,"));
        assertTrue(frame.get("overlay").asText().startsWith("data:image/png;base64,"));
        assertEquals(List.of(1_000_000L), written, "the frame's capture time is reported once it is on the wire");
    }

    @Test
    void proceduresKnownOnlyFromTheAlertHistoryAreNotListed() throws Exception {
        ViewerHub hub = new ViewerHub(Set.of());
        hub.onAlert(new AlertEvent(
                "old", AlertEvent.Type.APPEARED, 0, 0, 0, 1, 2, 0.9f, null, new AlertEvent.Hysteresis(1, 1, 1, 0.5f)));
        hub.onFrame(LiveJoinTest.frame(0));
        JsonNode list = JSON.readTree(hub.proceduresJson());
        assertEquals(1, list.size());
        assertEquals("p", list.get(0).get("procedure").asText());
        assertFalse(list.get(0).get("ended").asBoolean());
    }

    @Test
    void theFilterKeepsOtherProceduresOut() {
        ViewerHub hub = new ViewerHub(Set.of("a"));
        assertTrue(hub.wants("a"));
        assertFalse(hub.wants("b"));
    }
}
