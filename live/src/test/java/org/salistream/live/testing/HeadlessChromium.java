package org.salistream.live.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium driven over the W3C WebDriver protocol by Debian's {@code chromedriver} (a few
 * HTTP calls with the JDK's client; no Selenium): open a page, run a script, take a screenshot. A fresh
 * profile folder per browser; no network beyond loopback.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--force-device-scale-factor=1");

    private final Process driver;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private String session;

    private HeadlessChromium(Process driver, int port) {
        this.driver = driver;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Starts chromedriver and a browser with a window of the given size and a fresh profile. */
    public static HeadlessChromium start(
            Path chromium, Path chromedriver, Path profile, int width, int height, Path log)
            throws IOException, InterruptedException {
        int port = FreePorts.next();
        Process p = new ProcessBuilder(chromedriver.toString(), "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HeadlessChromium c = new HeadlessChromium(p, port);
        try {
            c.awaitReady();
            ObjectNode options = JSON.createObjectNode();
            options.put("binary", chromium.toString());
            ArrayNode args = options.putArray("args");
            FLAGS.forEach(args::add);
            args.add("--user-data-dir=" + profile.toAbsolutePath());
            args.add("--window-size=" + width + "," + height);
            ObjectNode caps = JSON.createObjectNode();
            ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
            always.put("browserName", "chrome");
            always.set("goog:chromeOptions", options);
            JsonNode created = c.call("POST", "/session", caps);
            c.session = created.path("value").path("sessionId").asText();
            if (c.session.isEmpty()) {
                throw new IOException("chromedriver did not start a browser: " + created);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Navigates to a URL (returns when the page has loaded). */
    public void open(String url) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        call("POST", "/session/" + session + "/url", body);
    }

    /** Runs a script ({@code return ...}) in the page and returns its value. */
    public JsonNode script(String script) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        return call("POST", "/session/" + session + "/execute/sync", body).path("value");
    }

    /** A PNG of the viewport. */
    public byte[] screenshot() throws IOException, InterruptedException {
        return Base64.getDecoder()
                .decode(call("GET", "/session/" + session + "/screenshot", null)
                        .path("value")
                        .asText());
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (call("GET", "/status", null).path("value").path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("chromedriver did not answer on " + base, e);
                }
            }
            Thread.sleep(100);
        }
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        b = body == null
                ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            throw new IOException("WebDriver " + method + " " + path + ": " + r.statusCode() + " "
                    + n.path("value").path("message"));
        }
        return n;
    }

    /** Ends the browser session and chromedriver. */
    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the browser is going away anyway
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
