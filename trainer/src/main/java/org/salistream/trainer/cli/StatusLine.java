package org.salistream.trainer.cli;

import java.io.PrintWriter;

/**
 * The trainer's terminal output: permanent lines, and on a terminal one status line that each training step
 * rewrites in place (carriage return, erase to the end of the line), so that progress takes one line.
 * Written to a file or a pipe, there is no status line and the trainer prints progress lines instead.
 */
final class StatusLine {

    private final PrintWriter err;
    private final String prefix;
    private final boolean inPlace;
    private boolean showing;

    StatusLine(PrintWriter err, String prefix, boolean inPlace) {
        this.err = err;
        this.prefix = prefix;
        this.inPlace = inPlace;
    }

    /** Whether progress is shown in place (a terminal). */
    boolean inPlace() {
        return inPlace;
    }

    /** A permanent line (printed above the status line). */
    synchronized void line(String text) {
        if (showing) {
            err.print("\r\033[K");
            showing = false;
        }
        err.println(prefix + text);
        err.flush();
    }

    /** Rewrites the status line. */
    synchronized void status(String text) {
        err.print("\r" + prefix + text + "\033[K");
        err.flush();
        showing = true;
    }

    /** Ends the status line, keeping its last text. */
    synchronized void end() {
        if (showing) {
            err.println();
            err.flush();
            showing = false;
        }
    }
}
