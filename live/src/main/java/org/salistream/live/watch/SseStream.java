package org.salistream.live.watch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.salistream.live.DropOldestQueue;

/**
 * One browser's Server-Sent Events connection: events are queued (a few at most; a browser that cannot keep
 * up skips to the newest, it never slows the viewer or another browser) and written by the connection's own
 * thread, with a comment line every 15 s so that proxies keep the connection open.
 */
public final class SseStream {

    /**
     * One event.
     *
     * @param name          the event's name ({@code frame}, {@code alert}, {@code state}, {@code procedures})
     * @param json          its data, one line of JSON
     * @param captureMicros the capture time of the frame it shows, or 0
     */
    public record Event(String name, String json, long captureMicros) {}

    private final DropOldestQueue<Event> queue;
    private volatile boolean open = true;

    /** A stream holding at most {@code capacity} unwritten events. */
    public SseStream(int capacity) {
        this.queue = new DropOldestQueue<>(capacity);
    }

    /** Queues an event without waiting; false once the connection is gone. */
    public boolean offer(Event e) {
        if (!open) {
            return false;
        }
        try {
            queue.offer(e);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /**
     * Writes events to the connection until it fails or {@link #close()} is called (the connection's thread).
     *
     * @param written told the capture time of each frame event once it is on the wire
     */
    public void pump(OutputStream out, LongConsumer written) throws IOException {
        out.write(": sali watch\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        long lastWrite = System.nanoTime();
        try {
            while (open) {
                Event e = queue.poll(1, TimeUnit.SECONDS);
                if (e == null) {
                    if (System.nanoTime() - lastWrite > 15_000_000_000L) {
                        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        lastWrite = System.nanoTime();
                    }
                    continue;
                }
                out.write(("event: " + e.name() + "\ndata: " + e.json() + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastWrite = System.nanoTime();
                if (e.captureMicros() > 0) {
                    written.accept(e.captureMicros());
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    /** Ends the stream (the viewer stops, or the browser left). */
    public void close() {
        open = false;
        queue.close();
    }

    /** Whether the connection is still served. */
    public boolean isOpen() {
        return open;
    }

    /** Events skipped because the browser was slower than the video. */
    public long skipped() {
        return queue.dropped();
    }
}
