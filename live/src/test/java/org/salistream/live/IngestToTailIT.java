package org.salistream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.datasets.synth.SyntheticCase;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;
import org.salistream.live.cli.TailCommand;
import org.salistream.live.testing.ExternalTools;
import org.salistream.live.testing.FfmpegStreamer;
import org.salistream.live.testing.FramesTopic;
import org.salistream.live.testing.FreePorts;
import org.salistream.live.testing.JvmProcess;
import org.salistream.live.testing.LiveCli;
import org.salistream.live.testing.Synthetic;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.JobLauncher;

/**
 * A real encoded video (a synthetic procedure's mp4, looped as a live source) served by Debian's ffmpeg as
 * MPEG-TS over TCP on loopback, into {@code sali ingest} in a process of its own, through the segmentation job on a real broker
 * and a Flink MiniCluster, read back with {@code sali tail --until-end}: one mask per ingested frame. The
 * stream is cut (ffmpeg killed) and restarted mid-way; ingest reconnects, its indices keep increasing and
 * skip the outage; SIGTERM ends the procedure after the last frame.
 */
class IngestToTailIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUMMARY =
            Pattern.compile("(\\d+) frames captured, (\\d+) sent and acknowledged, (\\d+) dropped"
                    + " \\(queue full\\), (\\d+) failed, (\\d+) reconnects, about (\\d+) frames missed");

    @Test
    void aStreamCutAndRestartedGivesOneMaskPerIngestedFrameWithIncreasingIndices(@TempDir Path dir) throws Exception {
        Path ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
        SyntheticCase c = Synthetic.write(dir.resolve("Live"), 1, 30, 256, 224, 11, true);
        Path video = dir.resolve("Live").resolve("Video").resolve(c.id() + ".mp4");
        String bootstrap = KAFKA.bootstrapServers();
        PipelineConfig config = PipelineConfig.of(Map.of(
                "kafka.bootstrap-servers",
                bootstrap,
                "model.backbone",
                "pvt_v2_b0",
                "model.size",
                "256",
                "batch.max-size",
                "1",
                "checkpoint.interval",
                "500ms",
                "procedure.idle-timeout",
                "120s"));
        JobClient job = JobLauncher.start(config, true);
        int port = FreePorts.next();
        Path ingestLog = dir.resolve("ingest.log");
        Path ffmpegLog = dir.resolve("ffmpeg.log");
        Process ingest = null;
        try {
            FfmpegStreamer first = FfmpegStreamer.serve(ffmpeg, video, port, ffmpegLog);
            ingest = JvmProcess.start(
                    ingestLog,
                    "ingest",
                    "--source",
                    "tcp://127.0.0.1:" + port,
                    "--procedure",
                    "live-tcp",
                    "--device",
                    "gateway-1",
                    "--bootstrap",
                    bootstrap,
                    "--crop",
                    "none",
                    "--fps",
                    "5",
                    "--reconnect-max",
                    "1s",
                    "--io-timeout",
                    "3s",
                    "--queue",
                    "32");
            int beforeCut = awaitFrames(bootstrap, 4, ingest, ingestLog);
            first.close(); // the encoder dies mid-stream
            Thread.sleep(1500);
            try (FfmpegStreamer second = FfmpegStreamer.serve(ffmpeg, video, port, ffmpegLog)) {
                awaitFrames(bootstrap, beforeCut + 4, ingest, ingestLog);
                assertTrue(second.isAlive(), "the restarted stream is still live when ingest stops");
                ingest.destroy(); // SIGTERM, as a service manager stops it
                assertTrue(ingest.waitFor(90, TimeUnit.SECONDS), "ingest ends after SIGTERM");
            }
            String log = Files.readString(ingestLog);
            assertEquals(143, ingest.exitValue(), log);
            Matcher m = SUMMARY.matcher(log);
            assertTrue(m.find(), log);
            long captured = Long.parseLong(m.group(1));
            long acknowledged = Long.parseLong(m.group(2));
            // A frame may be dropped while the sender warms up (first metadata, first JPEG) on a busy machine.
            assertEquals(captured, acknowledged + Long.parseLong(m.group(3)), log);
            assertEquals("0", m.group(4), "nothing failed: " + log);
            assertTrue(Long.parseLong(m.group(5)) >= 1, "reconnected: " + log);
            assertTrue(Long.parseLong(m.group(6)) >= 1, "the outage is counted: " + log);

            FramesTopic.Content frames = FramesTopic.read(bootstrap, "live-tcp");
            assertEquals(acknowledged, frames.indices().size(), "the frames topic holds what ingest sent");
            assertEquals(
                    frames.indices().get(frames.indices().size() - 1),
                    frames.endIndex(),
                    "end marker after the last frame");

            Path out = dir.resolve("pred");
            LiveCli.Result tail = LiveCli.run(
                    new TailCommand(),
                    "--bootstrap",
                    bootstrap,
                    "--procedure",
                    "live-tcp",
                    "--until-end",
                    "--timeout",
                    "6m",
                    "--out",
                    out.toString());
            assertEquals(0, tail.exitCode(), tail.err());
            List<JsonNode> lines = new ArrayList<>();
            for (String line : tail.out().split("\n")) {
                lines.add(JSON.readTree(line));
            }
            JsonNode end = lines.remove(lines.size() - 1);
            assertEquals(
                    frames.endIndex().longValue(), end.get("endOfProcedure").asLong());
            List<Long> maskIndices =
                    lines.stream().map(n -> n.get("frameIndex").asLong()).toList();
            assertEquals(frames.indices(), maskIndices, "one mask per ingested frame, in order");
            boolean gap = false;
            for (int i = 1; i < maskIndices.size(); i++) {
                assertTrue(maskIndices.get(i) > maskIndices.get(i - 1), "strictly increasing across the reconnect");
                gap |= maskIndices.get(i) - maskIndices.get(i - 1) > 1;
            }
            assertTrue(gap, "the indices skip the outage: " + maskIndices);
            try (Stream<Path> pngs =
                    Files.list(out.resolve("SALI").resolve("live").resolve("live-tcp"))) {
                assertEquals(maskIndices.size(), pngs.count(), "one PNG per mask in the eval layout");
            }
            assertFalse(log.contains("live-tcp"), "no procedure id in ingest's logs");
        } finally {
            if (ingest != null) {
                ingest.destroyForcibly();
            }
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /** Waits until the frames topic holds at least {@code n} frames of the procedure; returns how many. */
    private static int awaitFrames(String bootstrap, int n, Process ingest, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int have;
        while ((have = FramesTopic.read(bootstrap, "live-tcp").indices().size()) < n) {
            if (!ingest.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("ingest sent fewer than " + n + " frames: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return have;
    }
}
