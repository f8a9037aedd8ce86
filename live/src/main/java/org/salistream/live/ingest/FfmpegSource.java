package org.salistream.live.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A {@link VideoSource} on JavaCV's {@link FFmpegFrameGrabber}: any URL, device or file the bundled FFmpeg
 * reads, decoded to {@code bgr24}. FFmpeg's error codes become one-line reasons ("Connection refused",
 * "Device or resource busy", "Address already in use"), with credentials kept out of every message.
 */
public final class FfmpegSource implements VideoSource {

    private static final Pattern ERROR_CODE = Pattern.compile("error (-?\\d+)");

    private final SourceSpec spec;
    private FFmpegFrameGrabber grabber;
    private double frameRate = Double.NaN;

    /** A source for the spec; nothing is opened yet. */
    public FfmpegSource(SourceSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open() throws IOException {
        close();
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(spec.location());
        if (spec.format() != null) {
            g.setFormat(spec.format());
        }
        for (Map.Entry<String, String> o : spec.options().entrySet()) {
            g.setOption(o.getKey(), o.getValue());
        }
        g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(g);
            throw new IOException("cannot open " + spec.redacted() + ": " + reason(e), e);
        }
        if (g.getImageWidth() < 1 || g.getImageHeight() < 1) {
            release(g);
            throw new IOException(spec.redacted() + " has no video stream");
        }
        double rate = g.getFrameRate();
        frameRate = rate >= 1 && rate <= 240 ? rate : Double.NaN;
        grabber = g;
    }

    @Override
    public Captured grab() throws IOException {
        if (grabber == null) {
            throw new IOException(spec.redacted() + " is not open");
        }
        Frame f;
        try {
            f = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new IOException("reading " + spec.redacted() + " failed: " + reason(e), e);
        }
        if (f == null || f.image == null) {
            return null;
        }
        return new Captured(copy(f), grabber.getTimestamp());
    }

    @Override
    public double frameRate() {
        return frameRate;
    }

    @Override
    public void close() {
        if (grabber != null) {
            release(grabber);
            grabber = null;
        }
    }

    /** Copies a {@code bgr24} frame (rows may be padded: {@code imageStride}) into a packed image. */
    private static BgrImage copy(Frame f) {
        int w = f.imageWidth;
        int h = f.imageHeight;
        int stride = f.imageStride;
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            src.position(y * stride);
            src.get(out, 3 * w * y, 3 * w);
        }
        return new BgrImage(w, h, out);
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.release();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // a grabber that failed to open: nothing more to free
        }
    }

    /** FFmpeg's reason for a JavaCV exception: the text of its AVERROR code where the message carries one. */
    static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher code = ERROR_CODE.matcher(m);
        if (code.find()) {
            int err = Integer.parseInt(code.group(1));
            String text = errorText(err);
            return switch (-err) {
                case 16 -> text + " (another program is using the device)";
                case 98 -> text + " (another program listens on that port)";
                case 13 -> text + " (no permission to open it)";
                default -> text;
            };
        }
        // JavaCV messages quote the URL, which may carry credentials: keep only the first clause.
        int quote = m.indexOf('"');
        return quote > 0 ? m.substring(0, quote).trim() : m;
    }

    private static String errorText(int err) {
        byte[] buf = new byte[256];
        if (avutil.av_strerror(err, buf, buf.length) < 0) {
            return "FFmpeg error " + err;
        }
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
