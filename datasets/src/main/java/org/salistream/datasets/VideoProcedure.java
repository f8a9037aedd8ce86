package org.salistream.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A procedure stored as a video file, decoded with JavaCV's {@link FFmpegFrameGrabber}; each decoded frame
 * is re-encoded as JPEG at quality 95 (what the rest of the system carries). Masks, when given, are the
 * folder's {@code *.png} sorted by name, paired with the frames in order; a count mismatch is an error
 * when it shows (a mask left over at the end, or a frame without mask).
 */
final class VideoProcedure extends RecordedProcedure {

    private final Path file;
    private final List<Path> masks;

    VideoProcedure(Path file, Path maskDir) throws IOException {
        this.file = file;
        if (maskDir != null) {
            if (!Files.isDirectory(maskDir)) {
                throw new IllegalArgumentException("no mask folder " + maskDir);
            }
            List<Path> m = new ArrayList<>();
            for (String n : SunSegLayout.listSorted(maskDir, ".png")) {
                m.add(maskDir.resolve(n));
            }
            if (m.isEmpty()) {
                throw new IllegalArgumentException("mask folder " + maskDir + " holds no .png");
            }
            this.masks = m;
        } else {
            this.masks = null;
        }
    }

    @Override
    public String id() {
        return SunSegLayout.stem(file.getFileName().toString());
    }

    @Override
    public OptionalInt frameCount() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            int n = g.getLengthInVideoFrames();
            return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (FrameGrabber.Exception e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public Stream<RecordedFrame> frames() throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            grabber.close();
            throw new IOException("cannot decode video " + file + ": " + e.getMessage(), e);
        }
        FrameIterator it = new FrameIterator(grabber);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false)
                .onClose(it::close);
    }

    private final class FrameIterator implements Iterator<RecordedFrame> {
        private final FFmpegFrameGrabber grabber;
        private RecordedFrame next;
        private int index;
        private boolean done;

        FrameIterator(FFmpegFrameGrabber grabber) {
            this.grabber = grabber;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                next = grab();
            }
            return next != null;
        }

        @Override
        public RecordedFrame next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RecordedFrame f = next;
            next = null;
            return f;
        }

        private RecordedFrame grab() {
            try {
                Frame frame = grabber.grabImage();
                if (frame == null) {
                    done = true;
                    close();
                    if (masks != null && index < masks.size()) {
                        throw new IllegalStateException("video " + file + " has " + index + " frames but the mask"
                                + " folder holds " + masks.size() + " masks");
                    }
                    return null;
                }
                BufferedImage rgb = toRgb(frame);
                GrayImage mask = null;
                if (masks != null) {
                    if (index >= masks.size()) {
                        throw new IllegalStateException("video " + file + " has more frames than the " + masks.size()
                                + " masks of its mask folder");
                    }
                    mask = GrayImage.read(masks.get(index));
                }
                byte[] jpeg = ImageFiles.jpeg(rgb, ImageFiles.FRAME_JPEG_QUALITY);
                RecordedFrame f = new RecordedFrame(
                        index,
                        String.format("frame%05d", index + 1),
                        jpeg,
                        RecordedFrame.JPEG,
                        rgb.getWidth(),
                        rgb.getHeight(),
                        rgb,
                        mask);
                index++;
                return f;
            } catch (FrameGrabber.Exception e) {
                done = true;
                close();
                throw new IllegalStateException(
                        "cannot decode frame " + index + " of " + file + ": " + e.getMessage(), e);
            } catch (IOException e) {
                done = true;
                close();
                throw new UncheckedIOException(e);
            }
        }

        /** Copies a packed BGR24 frame (rows may be padded: imageStride) into an RGB image. */
        private BufferedImage toRgb(Frame frame) {
            int w = frame.imageWidth;
            int h = frame.imageHeight;
            int stride = frame.imageStride;
            java.nio.ByteBuffer buf = (java.nio.ByteBuffer) frame.image[0];
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                int base = y * stride;
                for (int x = 0; x < w; x++) {
                    int b = buf.get(base + 3 * x) & 0xFF;
                    int g = buf.get(base + 3 * x + 1) & 0xFF;
                    int r = buf.get(base + 3 * x + 2) & 0xFF;
                    row[x] = (r << 16) | (g << 8) | b;
                }
                img.setRGB(0, y, w, 1, row, 0, w);
            }
            return img;
        }

        void close() {
            try {
                grabber.close();
            } catch (FrameGrabber.Exception e) {
                // closing a decoder that failed: nothing more to release
            }
        }
    }
}
