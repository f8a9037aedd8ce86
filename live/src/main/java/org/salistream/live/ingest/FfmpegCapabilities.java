package org.salistream.live.ingest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * What the FFmpeg build bundled with JavaCV can read, asked of FFmpeg itself (its input protocols, the
 * RTSP demuxer, the V4L2 input device), so that {@code sali ingest --help} and its errors name what this
 * build really has rather than what FFmpeg can have in general.
 *
 * @param inputProtocols FFmpeg's input protocols (tcp, udp, srt, ...)
 * @param hasRtsp        whether the RTSP demuxer is present
 * @param hasV4l2        whether the video4linux2 input device is present
 */
public record FfmpegCapabilities(Set<String> inputProtocols, boolean hasRtsp, boolean hasV4l2) {

    private static volatile FfmpegCapabilities detected;

    /** Copies the set. */
    public FfmpegCapabilities {
        inputProtocols = Set.copyOf(inputProtocols);
    }

    /** The bundled build's capabilities (asked once per JVM). */
    public static FfmpegCapabilities detect() {
        FfmpegCapabilities d = detected;
        if (d == null) {
            Set<String> protocols = new LinkedHashSet<>();
            try (PointerPointer<Pointer> opaque = new PointerPointer<>(1)) {
                opaque.put(0, (Pointer) null);
                BytePointer name;
                while ((name = avformat.avio_enum_protocols(opaque, 0)) != null && !name.isNull()) {
                    protocols.add(name.getString());
                }
            }
            avdevice.avdevice_register_all();
            d = new FfmpegCapabilities(
                    protocols,
                    present(avformat.av_find_input_format("rtsp")),
                    present(avformat.av_find_input_format("video4linux2")));
            detected = d;
        }
        return d;
    }

    private static boolean present(AVInputFormat f) {
        return f != null && !f.isNull();
    }

    /** Whether a network URL scheme can be read: rtsp(s) needs the demuxer, the others their protocol. */
    public boolean reads(String scheme) {
        return switch (scheme) {
            case "rtsp" -> hasRtsp && inputProtocols.contains("tcp");
            case "rtsps" -> hasRtsp && inputProtocols.contains("tls");
            default -> inputProtocols.contains(scheme);
        };
    }

    /** The network schemes of {@link SourceSpec#NETWORK_SCHEMES} this build reads, in a fixed order. */
    public List<String> networkSchemes() {
        List<String> out = new ArrayList<>();
        for (String s : List.of("rtsp", "rtsps", "srt", "udp", "tcp", "rtp", "http", "https")) {
            if (reads(s)) {
                out.add(s + "://");
            }
        }
        return out;
    }
}
