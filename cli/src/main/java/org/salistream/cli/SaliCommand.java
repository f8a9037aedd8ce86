package org.salistream.cli;

import java.io.IOException;
import org.salistream.datasets.cli.EvalCommand;
import org.salistream.datasets.cli.SynthCommand;
import org.salistream.kafka.broker.cli.BrokerCommand;
import org.salistream.kafka.cli.TopicsCommand;
import org.salistream.live.cli.IngestCommand;
import org.salistream.live.cli.TailCommand;
import org.salistream.live.cli.WatchCommand;
import org.salistream.model.cli.CommandErrors;
import org.salistream.model.cli.ExportCommand;
import org.salistream.model.cli.SegmentCommand;
import org.salistream.pipeline.cli.AlertFile;
import org.salistream.pipeline.cli.ClusterCommand;
import org.salistream.pipeline.cli.DemoCommand;
import org.salistream.pipeline.cli.ReplayCommand;
import org.salistream.pipeline.cli.RunCommand;
import org.salistream.trainer.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one command line of SALI Stream, {@code bin/sali <command>}: each module contributes its commands,
 * this class only assembles them and turns user errors into one-line messages.
 */
@Command(
        name = "sali",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Real-time video polyp segmentation (SALI, MICCAI 2024) on Kafka and Flink.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ClusterCommand.class,
            ReplayCommand.class,
            IngestCommand.class,
            TailCommand.class,
            WatchCommand.class,
            BrokerCommand.class,
            TopicsCommand.class,
            SegmentCommand.class,
            ExportCommand.class,
            EvalCommand.class,
            SynthCommand.class,
            TrainCommand.class,
            BenchCommand.class,
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

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        // sali eval reads --alerts files with the alerts topic's own serde, which the datasets module does not see.
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cl = new CommandLine(new SaliCommand(), new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> cls) throws Exception {
                return cls == EvalCommand.class ? (K) new EvalCommand(AlertFile::episodes) : defaults.create(cls);
            }
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String name = cmd.getCommandSpec().qualifiedName(" ");
            if (e instanceof IOException || e instanceof IllegalArgumentException) {
                cmd.getErr().println(name + ": " + CommandErrors.message(e));
                if (System.getenv("SALI_DEBUG") != null) {
                    e.printStackTrace(cmd.getErr());
                }
                return CommandErrors.USER_ERROR;
            }
            cmd.getErr()
                    .println(name + ": unexpected failure (set SALI_DEBUG=1 for details): " + CommandErrors.message(e));
            e.printStackTrace(cmd.getErr());
            return 2;
        });
        return cl;
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
