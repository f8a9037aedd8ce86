package org.salistream.model.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.Callable;

/**
 * Turns the failures a user can cause (a bad checkpoint, an unreadable file, a wrong option value) into one
 * line {@code <command>: <message>} on the command's error stream and exit code {@value #USER_ERROR}, instead
 * of picocli's default stack trace. Anything else (a bug) still propagates with its stack trace.
 *
 * <p>Expected failures: {@link IOException} (which includes
 * {@link org.salistream.model.checkpoint.CheckpointException}) and {@link IllegalArgumentException}
 * (bad option values, frames of different sizes, an unknown backbone). Every command of the project can
 * wrap its body: {@code return CommandErrors.run("sali segment", spec.commandLine().getErr(), () -> ...)}.
 */
public final class CommandErrors {

    /** The exit code of a failure the user can fix. */
    public static final int USER_ERROR = 1;

    private CommandErrors() {}

    /**
     * Runs {@code body}; an expected failure is printed as {@code command: message} and gives
     * {@value #USER_ERROR}.
     *
     * @param command the prefix, e.g. {@code sali segment}
     * @param err where the message goes (picocli's {@code getErr()}, so that tests can capture it)
     * @throws Exception whatever else the body throws
     */
    public static int run(String command, PrintWriter err, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (IOException | IllegalArgumentException e) {
            err.println(command + ": " + message(e));
            err.flush();
            return USER_ERROR;
        }
    }

    /**
     * A failure's message for a user: the exception's own message where it has one; for the JDK's file
     * system exceptions, whose message is often only the path, the path and what is wrong with it.
     */
    public static String message(Throwable e) {
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or folder";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof NotDirectoryException f) {
            return f.getFile() + ": not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() == null) {
            return f.getFile() + ": " + e.getClass().getSimpleName();
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getCause() != null && e.getCause() != e
                    ? message(e.getCause())
                    : e.getClass().getSimpleName();
        }
        return m;
    }
}
