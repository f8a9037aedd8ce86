package org.salistream.live;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * A one-line progress display redrawn in place on a terminal, silent when the output is not a terminal
 * (a service's log, a pipe): long work shows what it is doing without filling logs with progress lines.
 */
public final class TerminalProgress implements AutoCloseable {

    private final Thread thread;
    private final PrintStream out;
    private final Supplier<String> line;
    private volatile boolean running = true;
    private int lastLength;

    private TerminalProgress(PrintStream out, Supplier<String> line, long intervalMillis) {
        this.out = out;
        this.line = line;
        this.thread = new Thread(
                () -> {
                    while (running) {
                        draw();
                        try {
                            Thread.sleep(intervalMillis);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "sali-progress");
        thread.setDaemon(true);
    }

    /** Starts redrawing {@code line} every {@code intervalMillis} on stderr when there is a terminal, else nothing. */
    public static TerminalProgress start(Supplier<String> line, long intervalMillis) {
        TerminalProgress p = new TerminalProgress(System.err, line, intervalMillis);
        if (System.console() != null) {
            p.thread.start();
        }
        return p;
    }

    private synchronized void draw() {
        String s = line.get();
        int pad = Math.max(0, lastLength - s.length());
        out.print("\r" + s + " ".repeat(pad));
        out.flush();
        lastLength = s.length();
    }

    /** Stops redrawing and ends the line. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        if (thread.isAlive()) {
            thread.interrupt();
            out.println();
            out.flush();
        }
    }
}
