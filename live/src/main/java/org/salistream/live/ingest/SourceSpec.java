package org.salistream.live.ingest;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code --source} names, checked before anything is opened: a network stream (RTSP, SRT, MPEG-TS
 * over UDP or TCP, RTP, HTTP), a V4L2 capture device ({@code /dev/videoN}) or a video file, with the FFmpeg
 * options that make a live source fail fast rather than hang (I/O timeouts) and start within a second.
 *
 * @param kind     network, device or file
 * @param location what FFmpeg opens (the URL, device path or file path)
 * @param format   the FFmpeg input format to force ({@code video4linux2} for devices), or null to probe
 * @param options  FFmpeg options passed to {@code avformat_open_input}
 */
public record SourceSpec(Kind kind, String location, String format, Map<String, String> options) {

    /** What kind of source. */
    public enum Kind {
        /** A network stream: reopened with back-off when it drops or ends. */
        NETWORK,
        /** A V4L2 capture device: reopened with back-off when it fails. */
        DEVICE,
        /** A video file: its end ends the procedure. */
        FILE
    }

    /** RTSP's media transport. */
    public enum RtspTransport {
        /** RTP interleaved in the RTSP TCP connection: passes firewalls and NAT, no loss. */
        TCP,
        /** RTP over UDP: lowest latency on a clean LAN, packets may be lost. */
        UDP
    }

    /** URL schemes this command reads (each only where the FFmpeg build has it, see {@link FfmpegCapabilities}). */
    public static final Set<String> NETWORK_SCHEMES =
            Set.of("rtsp", "rtsps", "srt", "udp", "tcp", "rtp", "http", "https");

    /** Validates the fields. */
    public SourceSpec {
        if (kind == null || location == null || location.isBlank()) {
            throw new IllegalArgumentException("a source needs a kind and a location");
        }
        options = Map.copyOf(options);
    }

    /**
     * Parses {@code --source}.
     *
     * @param source    a URL, {@code /dev/videoN} or a file path
     * @param transport RTSP's transport (ignored for other sources)
     * @param ioTimeout how long a read or connect may stall before the source counts as dropped
     * @param ffmpeg    what the FFmpeg build can read
     * @throws IllegalArgumentException with a one-line reason: unsupported scheme, no such file or device
     */
    public static SourceSpec parse(
            String source, RtspTransport transport, Duration ioTimeout, FfmpegCapabilities ffmpeg) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException(
                    "--source is empty; give a URL (rtsp://, srt://, udp://, tcp://), /dev/videoN or a file");
        }
        String s = source.trim();
        int colon = s.indexOf("://");
        if (colon > 0) {
            String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) {
                return file(Path.of(URI.create(s)));
            }
            if (!NETWORK_SCHEMES.contains(scheme) || !ffmpeg.reads(scheme)) {
                throw new IllegalArgumentException("unsupported source scheme '" + scheme
                        + "://' in --source; this FFmpeg" + " build reads " + String.join(", ", ffmpeg.networkSchemes())
                        + ", V4L2 devices (/dev/videoN) and files");
            }
            return new SourceSpec(Kind.NETWORK, s, null, networkOptions(scheme, transport, ioTimeout));
        }
        if (s.startsWith("/dev/")) {
            Path device = Path.of(s);
            if (!Files.exists(device)) {
                throw new IllegalArgumentException("no such capture device " + s);
            }
            if (!ffmpeg.hasV4l2()) {
                throw new IllegalArgumentException("this FFmpeg build cannot read V4L2 devices (" + s + ")");
            }
            return new SourceSpec(Kind.DEVICE, s, "video4linux2", Map.of());
        }
        return file(Path.of(s));
    }

    private static SourceSpec file(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such video file " + file);
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("video file " + file + " is not readable");
        }
        return new SourceSpec(Kind.FILE, file.toString(), null, Map.of());
    }

    private static Map<String, String> networkOptions(String scheme, RtspTransport transport, Duration ioTimeout) {
        String micros = Long.toString(ioTimeout.toNanos() / 1000);
        Map<String, String> o = new LinkedHashMap<>();
        // Any protocol: a read that stalls this long fails, so a silent source counts as dropped.
        o.put("rw_timeout", micros);
        // Find the stream's format within a second of video; the frames read meanwhile are kept, not dropped
        // (fflags=nobuffer would lose them: a second of video at every reconnect).
        o.put("analyzeduration", "1000000");
        o.put("probesize", Integer.toString(2 * 1024 * 1024));
        switch (scheme) {
            case "rtsp", "rtsps" -> {
                o.put("rtsp_transport", transport == RtspTransport.UDP ? "udp" : "tcp");
                o.put("timeout", micros); // RTSP's own socket timeout (connect and reads)
            }
            case "tcp" -> o.put("timeout", micros);
            case "udp", "rtp" -> {
                // A burst must not overflow the kernel's buffer and a late reader must not abort the stream.
                o.put("buffer_size", Integer.toString(4 * 1024 * 1024));
                o.put("overrun_nonfatal", "1");
                o.put("timeout", micros);
            }
            case "srt" -> o.put("connect_timeout", Long.toString(ioTimeout.toMillis()));
            default -> {}
        }
        return o;
    }

    /** Whether the source is reopened when it drops or ends (network streams and devices, not files). */
    public boolean isLive() {
        return kind != Kind.FILE;
    }

    /**
     * The location without user information, query or fragment (credentials and SRT passphrases), for
     * messages and logs.
     */
    public String redacted() {
        if (kind != Kind.NETWORK) {
            return location;
        }
        try {
            URI u = URI.create(location);
            String host = u.getHost() == null ? "" : u.getHost();
            String port = u.getPort() < 0 ? "" : ":" + u.getPort();
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            return u.getScheme() + "://" + host + port + path;
        } catch (IllegalArgumentException e) {
            return location.substring(0, location.indexOf("://") + 3) + "...";
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " " + redacted();
    }
}
