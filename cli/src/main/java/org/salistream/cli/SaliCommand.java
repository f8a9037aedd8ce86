package org.salistream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command line of SALI Stream: {@code bin/sali <subcommand>}. */
@Command(name = "sali", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Real-time video polyp segmentation (SALI) on Kafka and Flink.",
        subcommands = {
            VersionCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class SaliCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new SaliCommand()).execute(args);
        System.exit(code);
    }
}
