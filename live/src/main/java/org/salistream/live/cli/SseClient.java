package org.salistream.live.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.salistream.live.EpochMicros;

/**
 * A viewer's client that does what the procedure page does up to drawing: subscribes to a procedure's event
 * stream and notes, for every frame event, the time from the frame's capture to the event's arrival. Runs on
 * its own thread until the procedure's end state arrives or it is closed.
 */
final class SseClient implements Runnable, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI uri;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<double[]> frames = new ArrayList<>();
    private volatile Stream<String> lines;
    private volatile boolean ended;

    SseClient(String site, String procedure) {
        this.uri = URI.create(site + "/events?procedure="
                + java.net.URLEncoder.encode(procedure, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void run() {
        try {
            HttpResponse<Stream<String>> r =
                    http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofLines());
            lines = r.body();
            String event = null;
            for (Iterator<String> it = lines.iterator(); it.hasNext() && !ended; ) {
                String line = it.next();
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && event != null) {
                    accept(event, JSON.readTree(line.substring(6)));
                    event = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the viewer stopped, or close() cut the stream
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(String event, JsonNode data) {
        if (event.equals("frame")) {
            long now = EpochMicros.now();
            synchronized (frames) {
                frames.add(new double[] {
                    data.get("frameIndex").asLong(),
                    (now - data.get("captureUs").asLong()) / 1000.0,
                    (data.get("emitUs").asLong() - data.get("captureUs").asLong()) / 1000.0
                });
            }
        } else if (event.equals("state") && data.path("ended").asBoolean()) {
            ended = true;
        }
    }

    /** Whether the procedure's end arrived. */
    boolean ended() {
        return ended;
    }

    /** Per frame event received: {frame index, capture-to-arrival ms, capture-to-mask-emitted ms}. */
    List<double[]> frames() {
        synchronized (frames) {
            return new ArrayList<>(frames);
        }
    }

    @Override
    public void close() {
        ended = true;
        Stream<String> s = lines;
        if (s != null) {
            s.close();
        }
    }
}
