package org.salistream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;
import org.salistream.live.cli.IngestCommand;
import org.salistream.live.cli.TailCommand;
import org.salistream.live.cli.WatchCommand;
import org.salistream.live.testing.FramesTopic;
import org.salistream.live.testing.FreePorts;
import org.salistream.live.testing.LiveCli;
import org.salistream.live.testing.Synthetic;

/**
 * Bad input to the live commands: each is one line naming the problem, a non-zero exit status, and nothing
 * written to Kafka (not a frame, not an end-of-procedure record).
 */
class LiveBadInputIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    static Path dir;

    private static Path video;

    @BeforeAll
    static void topicsAndAVideo() throws Exception {
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), TopicSettings.defaults());
        video = dir.resolve("Bad")
                .resolve("Video")
                .resolve(Synthetic.write(dir.resolve("Bad"), 1, 5, 160, 128, 3, true)
                                .id() + ".mp4");
    }

    @Test
    void anUnreachableSourceIsOneLineAndWritesNothing() {
        int closed = FreePorts.next();
        assertOneLineAndNothingWritten(
                "bad-unreachable", "Connection refused", ingest("tcp://127.0.0.1:" + closed, "bad-unreachable"));
    }

    @Test
    void anUnsupportedSchemeIsOneLineAndWritesNothing() {
        assertOneLineAndNothingWritten(
                "bad-scheme", "unsupported source scheme 'gopher://'", ingest("gopher://camera/1", "bad-scheme"));
    }

    @Test
    void aMissingDeviceIsOneLineAndWritesNothing() {
        assertOneLineAndNothingWritten(
                "bad-device", "no such capture device /dev/video97", ingest("/dev/video97", "bad-device"));
    }

    @Test
    void aBadCropIsOneLineAndWritesNothing() {
        assertOneLineAndNothingWritten(
                "bad-crop",
                "--crop 0,0,5000,10 does not lie inside the source's 160x128 frames",
                ingest(video.toString(), "bad-crop", "--crop", "0,0,5000,10"));
        assertOneLineAndNothingWritten(
                "bad-crop",
                "--crop must be auto, none or X,Y,W,H",
                ingest(video.toString(), "bad-crop", "--crop", "middle"));
    }

    @Test
    void aListeningSourceOnAPortInUseIsOneLineAndWritesNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertOneLineAndNothingWritten(
                    "bad-listen",
                    "Address already in use",
                    ingest("tcp://127.0.0.1:" + taken.getLocalPort() + "?listen=1", "bad-listen"));
        }
    }

    @Test
    void anUnreachableKafkaIsOneLineBeforeAnythingIsCaptured() {
        int closed = FreePorts.next();
        LiveCli.Result r = LiveCli.run(
                new IngestCommand(),
                "--source",
                video.toString(),
                "--procedure",
                "bad-kafka",
                "--device",
                "scope-1",
                "--bootstrap",
                "127.0.0.1:" + closed,
                "--kafka-timeout",
                "3s");
        assertOneLineAndNothingWritten("bad-kafka", "Kafka at 127.0.0.1:" + closed + " did not answer within 3 s", r);
    }

    @Test
    void theViewerOnAPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LiveCli.Result r = LiveCli.run(
                    new WatchCommand(),
                    "--bootstrap",
                    KAFKA.bootstrapServers(),
                    "--http-port",
                    Integer.toString(taken.getLocalPort()));
            assertOneLine(r, "cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
        }
    }

    @Test
    void badViewerAndTailOptionsAreOneLine() {
        assertOneLine(
                LiveCli.run(new WatchCommand(), "--bootstrap", KAFKA.bootstrapServers(), "--record", "x.mp4"),
                "--record writes one procedure per video: give exactly one --procedure");
        assertOneLine(
                LiveCli.run(new WatchCommand(), "--bootstrap", KAFKA.bootstrapServers(), "--isolation", "dirty"),
                "isolation must be 'committed'");
        assertOneLine(
                LiveCli.run(new TailCommand(), "--bootstrap", KAFKA.bootstrapServers(), "--topic", "frames"),
                "--topic must be masks or alerts, got 'frames'");
        assertOneLine(
                LiveCli.run(
                        new TailCommand(), "--bootstrap", KAFKA.bootstrapServers(), "--topic", "alerts", "--out", "x"),
                "--out writes mask PNGs; it needs --topic masks");
    }

    private static LiveCli.Result ingest(String source, String procedure, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--source",
                source,
                "--procedure",
                procedure,
                "--device",
                "scope-1",
                "--bootstrap",
                KAFKA.bootstrapServers(),
                "--io-timeout",
                "3s"));
        args.addAll(List.of(more));
        Callable<Integer> command = new IngestCommand();
        return LiveCli.run(command, args.toArray(String[]::new));
    }

    private static void assertOneLineAndNothingWritten(String procedure, String expected, LiveCli.Result r) {
        assertOneLine(r, expected);
        FramesTopic.Content frames = FramesTopic.read(KAFKA.bootstrapServers(), procedure);
        assertEquals(List.of(), frames.indices(), "no frame written");
        assertNull(frames.endIndex(), "no end-of-procedure record written");
    }

    private static void assertOneLine(LiveCli.Result r, String expected) {
        assertNotEquals(0, r.exitCode(), r.err());
        String err = r.err().strip();
        assertTrue(!err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("sali "), err);
        assertTrue(err.contains(expected), "'" + err + "' should say '" + expected + "'");
    }
}
