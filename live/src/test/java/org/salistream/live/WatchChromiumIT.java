package org.salistream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.datasets.RecordedFrame;
import org.salistream.datasets.RecordedProcedure;
import org.salistream.datasets.SunSegLayout;
import org.salistream.datasets.synth.SyntheticCase;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.Pacing;
import org.salistream.kafka.ReplayClient;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;
import org.salistream.live.cli.WatchCommand;
import org.salistream.live.testing.ExternalTools;
import org.salistream.live.testing.GroundTruthStream;
import org.salistream.live.testing.HeadlessChromium;
import org.salistream.live.testing.LiveCli;
import org.salistream.live.testing.Synthetic;
import org.salistream.live.testing.TrainedWeights;
import org.salistream.live.testing.ViewerShot;
import org.salistream.model.checkpoint.CheckpointMetadata;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.pipeline.cli.ReplayCommand;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.JobLauncher;

/**
 * {@code sali watch} in a real headless Chromium (Debian's, driven by chromedriver) while two procedures
 * stream: the index lists both, a procedure's page draws frames and raises the alert banner, and in a
 * screenshot the outline's green pixels lie on the polyp of the frame shown. Two sources of masks:
 * <ul>
 *   <li>the segmentation job with a trained model (the shipped one, or {@code -Dsali.test.weights}; skipped
 *       without): the outline follows the polyp as the model finds it (screenshot:
 *       {@code target/watch-screenshot.png});</li>
 *   <li>the ground truth written to the topics as the job would write masks: the outline must then be exactly
 *       the ground truth's edge, which checks the viewer's drawing to the pixel, whatever a model finds
 *       (screenshot: {@code target/watch-screenshot-truth.png}).</li>
 * </ul>
 */
class WatchChromiumIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void withTheTrainedModelTheOutlineLiesOnThePolypAndTheBannerShowsWhileTwoProceduresStream(@TempDir Path dir)
            throws Exception {
        Path chromium = ExternalTools.require("chromium", "chromium");
        Path chromedriver = ExternalTools.require("chromedriver", "chromium-driver");
        Path weights = TrainedWeights.require();
        CheckpointMetadata meta = NativeCheckpoint.readMetadata(NativeCheckpoint.folder(weights));
        Path split = dir.resolve("Watch");
        Map<String, SyntheticCase> cases = cases(split, 1, 40, meta.inputSize());
        String bootstrap = KAFKA.bootstrapServers();
        PipelineConfig config = PipelineConfig.of(Map.of(
                "kafka.bootstrap-servers",
                bootstrap,
                "model.weights",
                weights.toString(),
                "model.backbone",
                meta.backbone(),
                "model.size",
                Integer.toString(meta.inputSize()),
                "batch.max-size",
                "2",
                "checkpoint.interval",
                "1s",
                "procedure.idle-timeout",
                "300s"));
        JobClient job = JobLauncher.start(config, true);
        try (Viewer viewer = Viewer.start(bootstrap, chromium, chromedriver, dir)) {
            List<CompletableFuture<?>> streams = new ArrayList<>();
            FrameProducer producer = new FrameProducer(bootstrap);
            for (String id : cases.keySet()) {
                streams.add(CompletableFuture.runAsync(() -> replay(producer, split, id, 2.5), viewer.threads()));
            }
            ViewerShot shot = viewer.bothListedThenBannerAndShot(cases, split, 400);
            Files.write(Files.createDirectories(Path.of("target")).resolve("watch-screenshot.png"), shot.png());
            int[] outline = shot.outlineOnPolyp(6);
            System.out.printf(
                    Locale.ROOT,
                    "watch screenshot (trained model %s): frame #%d, %d outline pixels, %d on the polyp"
                            + " (ground truth + 6 px)%n",
                    weights.getFileName(),
                    shot.frameIndex(),
                    outline[0],
                    outline[1]);
            assertTrue(
                    shot.frameDifference() < 12,
                    "the frame is drawn untouched where the canvas is: " + shot.frameDifference());
            assertTrue(outline[0] >= 30, "the outline is drawn: " + outline[0] + " green pixels");
            assertTrue(
                    outline[1] >= 0.6 * outline[0],
                    "the outline lies on the polyp: " + outline[1] + " of " + outline[0]);
            for (CompletableFuture<?> s : streams) {
                s.get(5, TimeUnit.MINUTES);
            }
            producer.close();
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void theOutlineIsTheMasksEdgeToThePixelWhileTwoProceduresStream(@TempDir Path dir) throws Exception {
        Path chromium = ExternalTools.require("chromium", "chromium");
        Path chromedriver = ExternalTools.require("chromedriver", "chromium-driver");
        Path split = dir.resolve("Truth");
        Map<String, SyntheticCase> cases = cases(split, 3, 30, 256);
        String bootstrap = KAFKA.bootstrapServers();
        TopicAdmin.ensureTopics(bootstrap, TopicSettings.defaults());
        try (Viewer viewer = Viewer.start(bootstrap, chromium, chromedriver, dir)) {
            List<CompletableFuture<?>> streams = new ArrayList<>();
            for (String id : cases.keySet()) {
                streams.add(CompletableFuture.runAsync(
                        () -> {
                            try {
                                GroundTruthStream.stream(bootstrap, split, id, 4, 60);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        viewer.threads()));
            }
            ViewerShot shot = viewer.bothListedThenBannerAndShot(cases, split, 400);
            Files.write(Files.createDirectories(Path.of("target")).resolve("watch-screenshot-truth.png"), shot.png());
            int[] strict = shot.outlineOnPolyp(0);
            System.out.printf(
                    Locale.ROOT,
                    "ground-truth outline: frame #%d, %d outline pixels, %d on the polyp%n",
                    shot.frameIndex(),
                    strict[0],
                    strict[1]);
            assertTrue(
                    shot.frameDifference() < 12,
                    "the frame is drawn untouched where the canvas is: " + shot.frameDifference());
            JsonNode page = viewer.browser()
                    .script("const l = window.saliViewer.latencies.slice().sort((a, b) => a - b);"
                            + " return l[Math.floor((l.length - 1) / 2)];");
            JsonNode stats = viewer.browser()
                    .script("const r = new XMLHttpRequest(); r.open('GET', '/api/stats', false);"
                            + " r.send(); return JSON.parse(r.responseText);")
                    .path(cases.keySet().iterator().next());
            System.out.printf(
                    Locale.ROOT,
                    "capture to mask read by the viewer p50 %.0f ms, to the frame event on the browser's"
                            + " connection p50 %.0f ms, to drawn (the page) p50 %.0f ms%n",
                    stats.path("visible").path("p50").asDouble(),
                    stats.path("pushed").path("p50").asDouble(),
                    page.asDouble());
            assertTrue(strict[0] >= 100, "the outline is drawn: " + strict[0]);
            assertEquals(strict[0], strict[1], "every outline pixel lies on the mask");
            for (CompletableFuture<?> s : streams) {
                s.get(2, TimeUnit.MINUTES);
            }
        }
    }

    /** Two synthetic procedures, numbered from {@code first} (each test its own, on the shared broker). */
    private static Map<String, SyntheticCase> cases(Path split, int first, int frames, int size) throws IOException {
        Map<String, SyntheticCase> cases = new LinkedHashMap<>();
        for (int n = first; n <= first + 1; n++) {
            SyntheticCase c = Synthetic.write(split, n, frames, size, size, 40 + n, false, 0.25);
            cases.put(c.id(), c);
        }
        return cases;
    }

    private static void replay(FrameProducer producer, Path split, String id, double fps) {
        try (Stream<RecordedFrame> frames = RecordedProcedure.ofSunSegCase(SunSegLayout.ofSplitRoot(split), id)
                .frames()) {
            new ReplayClient(producer, "scope-" + id)
                    .replay(id, ReplayCommand.toReplay(frames.iterator()), Pacing.realtime(fps), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text values of a JSON array. */
    private static Set<String> texts(JsonNode array) {
        Set<String> s = new LinkedHashSet<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }

    /**
     * {@code sali watch} on a free port and a browser on it, with threads of their own for the viewer and the
     * streams (the common pool has one thread on two cores, and the viewer holds it until it stops).
     */
    private record Viewer(
            WatchCommand watch,
            CompletableFuture<Integer> serving,
            HeadlessChromium browser,
            String site,
            ExecutorService threads)
            implements AutoCloseable {

        static Viewer start(String bootstrap, Path chromium, Path chromedriver, Path dir) throws Exception {
            WatchCommand watch = new WatchCommand();
            ExecutorService threads = Executors.newCachedThreadPool();
            CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(
                    () -> LiveCli.run(
                            watch,
                            new StringWriter(),
                            new StringWriter(),
                            "--bootstrap",
                            bootstrap,
                            "--http-port",
                            "0"),
                    threads);
            while (watch.boundPort() < 0 && !serving.isDone()) {
                Thread.sleep(50);
            }
            assertTrue(watch.boundPort() > 0, "the viewer serves");
            HeadlessChromium browser = HeadlessChromium.start(
                    chromium, chromedriver, dir.resolve("profile"), 960, 560, dir.resolve("chromedriver.log"));
            return new Viewer(watch, serving, browser, "http://127.0.0.1:" + watch.boundPort(), threads);
        }

        /** The index lists both procedures; then the first one's page draws frames under the banner; a screenshot. */
        ViewerShot bothListedThenBannerAndShot(Map<String, SyntheticCase> cases, Path split, int seconds)
                throws Exception {
            browser.open(site + "/");
            until(
                    "return Array.from(document.querySelectorAll('#procedures tbody a')).map(a => a.textContent)",
                    v -> texts(v).containsAll(cases.keySet()),
                    seconds); // the index lists both procedures streaming
            SyntheticCase shown = cases.values().iterator().next();
            browser.open(site + "/procedure?id=" + shown.id());
            until(
                    "return [window.saliViewer.framesDrawn, !document.getElementById('banner').hidden]",
                    v -> v.get(0).asInt() >= 3 && v.get(1).asBoolean(),
                    seconds);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ViewerShot shot = null;
            while (shot == null && System.nanoTime() < deadline) {
                shot = ViewerShot.take(browser, split, shown, 1500);
                if (shot == null) {
                    Thread.sleep(200);
                }
            }
            assertNotNull(shot, "a screenshot of a frame with the polyp in view");
            assertTrue(
                    browser.script("return window.saliViewer.latencies.length").asInt() >= 3,
                    "the page measures capture-to-screen latency");
            return shot;
        }

        private JsonNode until(String script, Predicate<JsonNode> done, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            JsonNode v = null;
            while (System.nanoTime() < deadline) {
                try {
                    v = browser.script(script);
                    if (done.test(v)) {
                        return v;
                    }
                } catch (IOException e) {
                    v = null; // the page is still loading
                }
                Thread.sleep(250);
            }
            throw new AssertionError("the page did not show it within " + seconds + " s; last: " + v);
        }

        @Override
        public void close() throws Exception {
            try {
                browser.close();
                watch.stop();
                serving.get(60, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
