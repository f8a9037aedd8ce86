package org.salistream.live.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.live.cli.IngestCommand;

class SourceSpecTest {

    private static final FfmpegCapabilities ALL =
            new FfmpegCapabilities(Set.of("tcp", "udp", "srt", "rtp", "http", "https", "tls", "file"), true, true);
    private static final Duration IO = Duration.ofSeconds(5);

    @Test
    void rtspGetsItsTransportAndTimeoutsAndIsLive() {
        SourceSpec s = SourceSpec.parse(
                "rtsp://cam:secret@10.0.0.5:554/stream1?token=x", SourceSpec.RtspTransport.UDP, IO, ALL);
        assertEquals(SourceSpec.Kind.NETWORK, s.kind());
        assertEquals("udp", s.options().get("rtsp_transport"));
        assertEquals("5000000", s.options().get("timeout"));
        assertEquals("5000000", s.options().get("rw_timeout"));
        assertTrue(s.isLive());
    }

    @Test
    void credentialsAndQueriesNeverShowInMessages() {
        SourceSpec s = SourceSpec.parse(
                "srt://10.0.0.5:9000?passphrase=verysecret&mode=caller", SourceSpec.RtspTransport.TCP, IO, ALL);
        assertEquals("srt://10.0.0.5:9000", s.redacted());
        SourceSpec r = SourceSpec.parse("rtsp://cam:secret@10.0.0.5/live", SourceSpec.RtspTransport.TCP, IO, ALL);
        assertEquals("rtsp://10.0.0.5/live", r.redacted());
        assertFalse(r.toString().contains("secret"));
    }

    @Test
    void anUnsupportedSchemeIsRefusedNamingWhatThisBuildReads() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SourceSpec.parse("gopher://x/y", SourceSpec.RtspTransport.TCP, IO, ALL));
        assertTrue(e.getMessage().startsWith("unsupported source scheme 'gopher://'"), e.getMessage());
        assertTrue(e.getMessage().contains("rtsp://, rtsps://, srt://, udp://, tcp://"), e.getMessage());
        FfmpegCapabilities noSrt = new FfmpegCapabilities(Set.of("tcp", "udp"), true, false);
        assertThrows(
                IllegalArgumentException.class,
                () -> SourceSpec.parse("srt://h:1", SourceSpec.RtspTransport.TCP, IO, noSrt));
    }

    @Test
    void aMissingFileOrDeviceIsAOneLineError(@TempDir Path dir) throws Exception {
        IllegalArgumentException file = assertThrows(
                IllegalArgumentException.class,
                () -> SourceSpec.parse(dir.resolve("none.mp4").toString(), SourceSpec.RtspTransport.TCP, IO, ALL));
        assertTrue(file.getMessage().startsWith("no such video file"), file.getMessage());
        IllegalArgumentException device = assertThrows(
                IllegalArgumentException.class,
                () -> SourceSpec.parse("/dev/video97", SourceSpec.RtspTransport.TCP, IO, ALL));
        assertEquals("no such capture device /dev/video97", device.getMessage());
        Path video = Files.writeString(dir.resolve("a.mp4"), "x");
        SourceSpec s = SourceSpec.parse(video.toUri().toString(), SourceSpec.RtspTransport.TCP, IO, ALL);
        assertEquals(SourceSpec.Kind.FILE, s.kind());
        assertFalse(s.isLive());
    }

    @Test
    void theHelpNamesExactlyWhatTheBundledFfmpegReads() {
        FfmpegCapabilities bundled = FfmpegCapabilities.detect();
        // IngestCommand's description lists these; a JavaCV upgrade that drops one must change the help.
        assertEquals(
                List.of("rtsp://", "rtsps://", "srt://", "udp://", "tcp://", "rtp://", "http://", "https://"),
                bundled.networkSchemes());
        assertTrue(bundled.hasV4l2());
        String help = String.join(
                " ",
                IngestCommand.class
                        .getAnnotation(picocli.CommandLine.Command.class)
                        .description());
        for (String scheme : bundled.networkSchemes()) {
            assertTrue(
                    help.contains(scheme.replace("https://", "http(s)://").replace("http://", "http(s)://")), scheme);
        }
    }
}
