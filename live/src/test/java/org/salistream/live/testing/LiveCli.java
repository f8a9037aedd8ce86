package org.salistream.live.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Runs a live command in this JVM as {@code bin/sali} would (picocli parsing, the command's one-line
 * errors), capturing what it prints.
 */
public final class LiveCli {

    /**
     * What a command did.
     *
     * @param exitCode its exit status
     * @param out      its standard output
     * @param err      its error output
     */
    public record Result(int exitCode, String out, String err) {}

    private LiveCli() {}

    /** Runs {@code command} with {@code args}. */
    public static Result run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs {@code command} with {@code args}, its error output going to {@code err} as it is written. */
    public static int run(Callable<Integer> command, StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
