package org.salistream.datasets.synth;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Writes frames to an MP4 file with JavaCV's {@link FFmpegFrameRecorder}: H.264 through the OpenH264
 * encoder that the bundled FFmpeg build has ({@code libopenh264}; the build has no x264), or MPEG-4 Part 2
 * where no H.264 encoder is present. YUV 4:2:0, so odd frame sizes are padded by one black row/column.
 */
public final class Mp4Writer implements AutoCloseable {

    private final FFmpegFrameRecorder recorder;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final String codec;
    private final int width;
    private final int height;
    private final BufferedImage canvas;

    /**
     * @param file   the .mp4 to write
     * @param width  frame width
     * @param height frame height
     * @param fps    frames per second (SUN-SEG's colonoscopy videos: 25-30)
     */
    public Mp4Writer(Path file, int width, int height, double fps) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        this.width = width + (width & 1);
        this.height = height + (height & 1);
        this.canvas = new BufferedImage(this.width, this.height, BufferedImage.TYPE_3BYTE_BGR);
        recorder = new FFmpegFrameRecorder(file.toFile(), this.width, this.height, 0);
        recorder.setFormat("mp4");
        recorder.setFrameRate(fps);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        String h264 = h264Encoder();
        if (h264 != null) {
            recorder.setVideoCodecName(h264);
            codec = "h264 (" + h264 + ")";
        } else {
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            codec = "mpeg4";
        }
        recorder.setVideoBitrate((int) Math.min(20_000_000, this.width * (long) this.height * fps * 0.25));
        recorder.setGopSize((int) Math.round(fps));
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot start the " + codec + " encoder for " + file + ": " + e.getMessage(), e);
        }
    }

    /** The bundled FFmpeg's H.264 encoder name, or null when it has none. */
    public static String h264Encoder() {
        for (String name : new String[] {"libx264", "libopenh264"}) {
            AVCodec c = avcodec.avcodec_find_encoder_by_name(name);
            if (c != null && !c.isNull()) {
                return name;
            }
        }
        return null;
    }

    /** The codec in use, e.g. {@code h264 (libopenh264)} or {@code mpeg4}. */
    public String codec() {
        return codec;
    }

    /** Appends one frame (drawn onto the encoder's canvas, so any image type works). */
    public void write(BufferedImage frame) throws IOException {
        Graphics2D g = canvas.createGraphics();
        g.drawImage(frame, 0, 0, null);
        g.dispose();
        try {
            recorder.record(converter.convert(canvas), avutil.AV_PIX_FMT_BGR24);
        } catch (FrameRecorder.Exception e) {
            throw new IOException("video encoding failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            recorder.close();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot finish the video: " + e.getMessage(), e);
        } finally {
            converter.close();
        }
    }

    /** Frame size of the video (even). */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
