package org.salistream.pipeline.testing;

import org.salistream.pipeline.cli.RunCommand;
import picocli.CommandLine;

/** {@code sali run} as its own process, for tests that kill it (the cli module that wraps it builds later). */
public final class RunMain {

    private RunMain() {}

    /** Runs {@code sali run} with these arguments. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RunCommand()).execute(args));
    }
}
