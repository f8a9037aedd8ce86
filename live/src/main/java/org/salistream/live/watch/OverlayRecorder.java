package org.salistream.live.watch;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.salistream.codec.ImageDecoding;
import org.salistream.datasets.synth.Mp4Writer;

/**
 * {@code sali watch --record FILE.mp4}: the frames the viewer would show, with the same overlay, written to
 * a video (one video frame per mask, at a fixed frame rate) until the procedure ends. A frame of another
 * size than the first (the crop followed the field) is scaled to the first one's size.
 */
public final class OverlayRecorder implements ViewerHub.Listener, AutoCloseable {

    private final Path file;
    private final double fps;
    private final String procedureId;
    private final CountDownLatch ended = new CountDownLatch(1);
    private Mp4Writer writer;
    private long written;
    private volatile IOException failure;

    /** Records {@code procedureId} to {@code file} at {@code fps}. */
    public OverlayRecorder(Path file, double fps, String procedureId) {
        this.file = file;
        this.fps = fps;
        this.procedureId = procedureId;
    }

    @Override
    public synchronized void shown(
            String procedure, LiveJoin.Joined joined, OverlayRenderer.Overlay overlay, boolean alertOpen) {
        if (!procedure.equals(procedureId) || failure != null || ended.getCount() == 0) {
            return;
        }
        try {
            BufferedImage frame;
            try {
                frame = ImageDecoding.decode(joined.frame().bytes(), "a frame");
            } catch (IOException undecodable) {
                return; // as before: a frame no decoder reads is left out of the recording, not fatal to it
            }
            BufferedImage picture = OverlayRenderer.compose(frame, overlay, joined.mask(), alertOpen);
            if (writer == null) {
                writer = new Mp4Writer(file, picture.getWidth(), picture.getHeight(), fps);
            }
            if (picture.getWidth() != writer.width() || picture.getHeight() != writer.height()) {
                BufferedImage scaled = new BufferedImage(writer.width(), writer.height(), BufferedImage.TYPE_3BYTE_BGR);
                Graphics2D g = scaled.createGraphics();
                g.drawImage(picture, 0, 0, writer.width(), writer.height(), null);
                g.dispose();
                picture = scaled;
            }
            writer.write(picture);
            written++;
        } catch (IOException e) {
            failure = e;
            ended.countDown();
        }
    }

    @Override
    public void ended(String procedure) {
        if (procedure.equals(procedureId)) {
            ended.countDown();
        }
    }

    /** Waits until the procedure ended (or writing failed); false when the time passed first. */
    public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }

    /** Frames written so far. */
    public synchronized long written() {
        return written;
    }

    /** Closes the video; reports a writing failure. */
    @Override
    public synchronized void close() throws IOException {
        ended.countDown();
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (failure != null) {
            throw new IOException("recording to " + file + " failed: " + failure.getMessage(), failure);
        }
    }
}
