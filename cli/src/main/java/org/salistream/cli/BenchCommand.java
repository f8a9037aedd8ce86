package org.salistream.cli;

import org.salistream.live.bench.LiveLatencyBench;
import org.salistream.model.cli.ModelBenchCommand;
import org.salistream.ops.cli.OpsBenchCommand;
import org.salistream.pipeline.demo.ClusterBenchCommand;
import org.salistream.pipeline.demo.AlertTuneCommand;
import org.salistream.pipeline.demo.PipelineBenchCommand;
import org.salistream.trainer.cli.MemoryBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sali bench}: the benchmarks, each printing medians and ratios measured in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (medians and ratios within one run; this machine is shared, compare ratios).",
        subcommands = {OpsBenchCommand.class, ModelBenchCommand.class, PipelineBenchCommand.class,
            ClusterBenchCommand.class, LiveLatencyBench.class, MemoryBenchCommand.class, AlertTuneCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
