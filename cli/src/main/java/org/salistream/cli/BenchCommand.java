package org.salistream.cli;

import org.salistream.live.cli.BenchLiveCommand;
import org.salistream.model.cli.BenchModelCommand;
import org.salistream.ops.cli.BenchOpsCommand;
import org.salistream.pipeline.cli.BenchAlertsCommand;
import org.salistream.pipeline.cli.BenchClusterCommand;
import org.salistream.pipeline.cli.BenchPipelineCommand;
import org.salistream.trainer.cli.BenchMemoryCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sali bench}: the benchmarks, each printing medians and ratios measured in one run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks (medians and ratios within one run; this machine is shared, compare ratios).",
        subcommands = {
            BenchOpsCommand.class,
            BenchModelCommand.class,
            BenchPipelineCommand.class,
            BenchClusterCommand.class,
            BenchLiveCommand.class,
            BenchMemoryCommand.class,
            BenchAlertsCommand.class
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
