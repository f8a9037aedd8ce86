package org.salistream.live.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The viewer's web server, on the JDK's own HTTP server ({@code com.sun.net.httpserver}: no third-party
 * server to audit, and Server-Sent Events work on it as a streamed response). Serves the plain HTML/JS
 * pages from the jar and pushes frames with Server-Sent Events; no page reload, no build step.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code GET /}</td><td>the index page: procedures streaming now</td></tr>
 *   <tr><td>{@code GET /procedure?id=ID}</td><td>one procedure's live page</td></tr>
 *   <tr><td>{@code GET /events}</td><td>SSE: {@code procedures} (the list, every second)</td></tr>
 *   <tr><td>{@code GET /events?procedure=ID}</td><td>SSE: {@code frame}, {@code alert}, {@code state}</td></tr>
 *   <tr><td>{@code POST /api/screen-latency}</td><td>a page reports capture-to-drawn latencies</td></tr>
 *   <tr><td>{@code GET /api/procedures}, {@code GET /api/stats}</td><td>JSON for scripts and tests</td></tr>
 * </table>
 *
 * <p>Each event stream holds one thread of a bounded pool ({@value #MAX_CONNECTIONS} at most); a browser
 * beyond that waits for a thread. No request is logged: URLs carry procedure ids.
 */
public final class WatchServer implements AutoCloseable {

    /** Most connections served at once (each event stream holds one). */
    static final int MAX_CONNECTIONS = 64;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCES = "/org/salistream/live/watch/";
    private static final Map<String, String> STATIC = new LinkedHashMap<>();

    static {
        STATIC.put("/", "index.html");
        STATIC.put("/procedure", "procedure.html");
        STATIC.put("/viewer.css", "viewer.css");
        STATIC.put("/index.js", "index.js");
        STATIC.put("/procedure.js", "procedure.js");
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final ViewerHub hub;

    private WatchServer(HttpServer server, ExecutorService pool, ViewerHub hub) {
        this.server = server;
        this.pool = pool;
        this.hub = hub;
    }

    /**
     * Binds and starts serving.
     *
     * @param bind the address to listen on ({@code 127.0.0.1} by default: the viewer has no login)
     * @param port the port, 0 for any free one
     * @throws IOException one line when the port is taken or the address is not this machine's
     */
    public static WatchServer start(String bind, int port, ViewerHub hub) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        } catch (BindException e) {
            throw new IOException(
                    "cannot listen on " + bind + ":" + port + ": " + e.getMessage()
                            + " (another program uses that port, or the address is not this machine's; choose --http-port/--bind)",
                    e);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                MAX_CONNECTIONS, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "sali-watch-http");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        server.setExecutor(pool);
        WatchServer w = new WatchServer(server, pool, hub);
        server.createContext("/", w::handle);
        server.start();
        return w;
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            Map<String, String> query = query(x.getRequestURI().getRawQuery());
            String method = x.getRequestMethod();
            if (method.equals("GET") && path.equals("/events")) {
                events(x, query.get("procedure"));
            } else if (method.equals("GET") && STATIC.containsKey(path)) {
                resource(x, STATIC.get(path));
            } else if (method.equals("GET") && path.equals("/api/procedures")) {
                send(x, 200, "application/json", hub.proceduresJson().getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("GET") && path.equals("/api/stats")) {
                send(x, 200, "application/json", hub.statsJson().getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("POST") && path.equals("/api/screen-latency")) {
                screenLatency(x);
            } else {
                send(x, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the browser went away mid-response: nothing to do
        }
    }

    private void events(HttpExchange x, String procedure) throws IOException {
        Headers h = x.getResponseHeaders();
        h.set("Content-Type", "text/event-stream; charset=utf-8");
        h.set("Cache-Control", "no-store");
        h.set("X-Accel-Buffering", "no");
        x.sendResponseHeaders(200, 0);
        SseStream stream = procedure == null ? hub.subscribeIndex() : hub.subscribe(procedure);
        OutputStream out = x.getResponseBody();
        stream.pump(out, capture -> hub.pushed(procedure, capture));
    }

    private void screenLatency(HttpExchange x) throws IOException {
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readNBytes(256 * 1024);
        }
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode samples = n.path("samples");
            double[] ms = new double[Math.min(samples.size(), 10_000)];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = samples.get(i).asDouble(-1);
            }
            hub.screenLatencies(n.path("procedure").asText(""), ms);
            send(x, 204, null, null);
        } catch (IOException e) {
            send(
                    x,
                    400,
                    "text/plain",
                    "expected {\"procedure\": ..., \"samples\": [ms, ...]}\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void resource(HttpExchange x, String name) throws IOException {
        byte[] body;
        try (InputStream in = WatchServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                send(x, 500, "text/plain", ("missing resource " + name + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            body = in.readAllBytes();
        }
        String type = name.endsWith(".html")
                ? "text/html; charset=utf-8"
                : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        send(x, 200, type, body);
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        Headers h = x.getResponseHeaders();
        if (type != null) {
            h.set("Content-Type", type);
        }
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; connect-src 'self'");
        if (body == null) {
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                q.put(
                        URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    /** Ends every event stream and stops serving. */
    @Override
    public void close() {
        hub.closeAll();
        server.stop(0);
        pool.shutdownNow();
    }
}
