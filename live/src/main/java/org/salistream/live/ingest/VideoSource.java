package org.salistream.live.ingest;

import java.io.IOException;

/**
 * A source of decoded pictures that can be opened again after it dropped: what the capture loop reads.
 * Not thread-safe: one capture thread opens, reads and closes it.
 */
public interface VideoSource extends AutoCloseable {

    /**
     * Opens (or reopens) the source.
     *
     * @throws IOException with a one-line reason (unreachable, refused, busy, not a video, ...)
     */
    void open() throws IOException;

    /**
     * The next picture, waiting for it as long as the source's I/O timeout allows.
     *
     * @return the picture, or null at the end of the stream (the end of a file; a network stream that closed)
     * @throws IOException when reading failed (a dropped connection, a stalled stream)
     */
    Captured grab() throws IOException;

    /** The source's nominal frame rate, or NaN when it does not say. */
    double frameRate();

    /** Closes the source; it may be opened again. Never throws. */
    @Override
    void close();

    /**
     * One decoded picture.
     *
     * @param image        the pixels
     * @param streamMicros the picture's presentation time in the stream, microseconds (for pacing files)
     */
    record Captured(BgrImage image, long streamMicros) {}
}
