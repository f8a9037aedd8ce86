package org.salistream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.datasets.synth.SyntheticCase;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.broker.EmbeddedKafkaBroker;
import org.salistream.live.cli.IngestCommand;
import org.salistream.live.testing.FramesTopic;
import org.salistream.live.testing.FreePorts;
import org.salistream.live.testing.LiveCli;
import org.salistream.live.testing.StallingProxy;
import org.salistream.live.testing.Synthetic;

/**
 * Capture never waits for Kafka: a video read in real time into {@code sali ingest} while the broker stalls
 * for a few seconds (every connection held open, nothing answered). Every frame of the video is captured on
 * time; the frames that could not be sent meanwhile are dropped from the queue and counted; the rest, and
 * the end-of-procedure record, arrive once the broker answers again.
 */
class IngestStalledBrokerIT {

    private static final Pattern SUMMARY =
            Pattern.compile("(\\d+) frames captured, (\\d+) sent and acknowledged, (\\d+) dropped"
                    + " \\(queue full\\), (\\d+) failed");
    private static final int FRAMES = 150;
    private static final double FPS = 25;

    @Test
    void captureKeepsItsRateAndCountsWhatItDropsWhileTheBrokerStalls(@TempDir Path dir) throws Exception {
        SyntheticCase c = Synthetic.write(dir.resolve("Stall"), 1, FRAMES, 192, 160, 5, true);
        Path video = dir.resolve("Stall").resolve("Video").resolve(c.id() + ".mp4");
        int brokerPort = FreePorts.next();
        try (StallingProxy proxy = new StallingProxy(brokerPort);
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .port(brokerPort)
                        .property("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port())
                        .build()
                        .start()) {
            String bootstrap = "127.0.0.1:" + proxy.port();
            TopicAdmin.ensureTopics(bootstrap, TopicSettings.defaults());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            ExecutorService thread = Executors.newSingleThreadExecutor();
            Future<Integer> ingest = thread.submit(() -> LiveCli.run(
                    new IngestCommand(),
                    out,
                    err,
                    "--source",
                    video.toString(),
                    "--procedure",
                    "stall-1",
                    "--device",
                    "scope-1",
                    "--bootstrap",
                    bootstrap,
                    "--realtime",
                    "--crop",
                    "none",
                    "--queue",
                    "8"));
            thread.shutdown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!err.toString().contains("sali ingest: file") && !ingest.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(1000);
            proxy.stall();
            Thread.sleep(2500);
            proxy.resume();
            int code = ingest.get(120, TimeUnit.SECONDS);
            String log = err.toString();
            assertEquals(0, code, log);
            Matcher m = SUMMARY.matcher(log);
            assertTrue(m.find(), log);
            long captured = Long.parseLong(m.group(1));
            long acknowledged = Long.parseLong(m.group(2));
            long dropped = Long.parseLong(m.group(3));
            assertEquals(FRAMES, captured, "every frame of the video was captured: " + log);
            assertTrue(
                    dropped >= 20,
                    "a 2.5 s stall at 25 fps drops what the queue and the in-flight frames cannot hold: " + log);
            assertEquals(captured, acknowledged + dropped, log);
            assertEquals("0", m.group(4), log);

            // Capture kept real time: the capture clock of the frames sent spans what their indices say (25 fps),
            // where a capture blocked by the stall would have fallen 2.5 s behind.
            FramesTopic.Content frames = FramesTopic.read(bootstrap, "stall-1");
            assertEquals(acknowledged, frames.indices().size());
            assertEquals(frames.indices().get(frames.indices().size() - 1), frames.endIndex());
            List<Long> captures = frames.captureMicros();
            double wall = (captures.get(captures.size() - 1) - captures.get(0)) / 1e6;
            double videoSeconds = (frames.indices().get(frames.indices().size() - 1)
                            - frames.indices().get(0))
                    / FPS;
            System.out.printf(
                    "stall test: %s; capture spanned %.2f s for %.2f s of video%n", m.group(), wall, videoSeconds);
            assertTrue(
                    Math.abs(wall - videoSeconds) < 0.8,
                    "capture spanned " + wall + " s for " + videoSeconds + " s of video");
        }
    }
}
