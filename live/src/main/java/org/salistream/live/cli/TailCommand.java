package org.salistream.live.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.ProcedureIdSerde;
import org.salistream.kafka.ReadIsolation;
import org.salistream.kafka.SaliTopics;
import org.salistream.live.KafkaReachability;
import org.salistream.live.tail.MaskFolder;
import org.salistream.live.tail.ResultTail;
import org.salistream.model.cli.CommandErrors;
import org.salistream.pipeline.cli.JobClientOptions;
import org.salistream.pipeline.config.PipelineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali tail}: the pipeline's results as a person or a script reads them, one JSON object per line on
 * stdout (see {@link ResultJson}); with {@code --out}, the mask PNGs in the layout {@code sali eval} reads.
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print masks or alerts as JSON lines (one object per record; end-of-procedure markers as"
                    + " {\"procedure\": ..., \"endOfProcedure\": lastIndex}).",
            "--isolation committed reads what the job committed (exactly once, at each checkpoint); live reads results"
                    + " as they are written (lowest latency; after a job failure a mask of the aborted attempt may show once)."
        })
public final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobClientOptions kafka;

    @Option(
            names = "--topic",
            paramLabel = "masks|alerts",
            defaultValue = "masks",
            description = "What to read (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--procedure", paramLabel = "ID", description = "Only this procedure (repeatable; default: all).")
    List<String> procedures = List.of();

    @Option(
            names = "--until-end",
            description = "Stop after the end-of-procedure marker of every procedure asked for"
                    + " (of every procedure seen, when none is named).")
    boolean untilEnd;

    @Option(
            names = "--isolation",
            paramLabel = "committed|live",
            defaultValue = "committed",
            description = "committed (read_committed) or live (read_uncommitted) (default: ${DEFAULT-VALUE}).")
    String isolation;

    @Option(
            names = "--from",
            paramLabel = "earliest|latest",
            description =
                    "Start at the oldest record kept or at new ones (default: earliest with --procedure, else latest).")
    String from;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Also write each mask as <DIR>/<model>/<split>/<procedure>/<frame>.png.")
    Path out;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            defaultValue = "SALI",
            description = "Model folder under --out (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(
            names = "--split",
            paramLabel = "NAME",
            defaultValue = "live",
            description = "Split folder under --out (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(
            names = "--names-from",
            paramLabel = "DIR",
            description =
                    "Name each PNG after the frame at that index in DIR/<procedure>/ (the replayed frames or their GT);"
                            + " default frame%%05d.png of index + 1.")
    Path namesFrom;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "0",
            description = "Give up after this long, exit status 2 (default: never).")
    String timeout;

    @Override
    public Integer call() throws Exception {
        return CommandErrors.run("sali tail", spec.commandLine().getErr(), this::tail);
    }

    private int tail() throws Exception {
        boolean alerts = switch (topic.trim().toLowerCase(Locale.ROOT)) {
            case "masks" -> false;
            case "alerts" -> true;
            default -> throw new IllegalArgumentException("--topic must be masks or alerts, got '" + topic + "'");
        };
        if (alerts && out != null) {
            throw new IllegalArgumentException("--out writes mask PNGs; it needs --topic masks");
        }
        Set<String> wanted = new LinkedHashSet<>();
        procedures.forEach(p -> wanted.add(ProcedureIdSerde.require(p)));
        boolean fromBeginning = from == null
                ? !wanted.isEmpty()
                : switch (from.trim().toLowerCase(Locale.ROOT)) {
                    case "earliest" -> true;
                    case "latest" -> false;
                    default ->
                        throw new IllegalArgumentException("--from must be earliest or latest, got '" + from + "'");
                };
        ReadIsolation readIsolation = ReadIsolation.parse(isolation);
        Duration limit = PipelineConfig.parseDuration("--timeout", timeout);
        MaskFolder folder =
                out == null ? null : new MaskFolder(out.resolve(model).resolve(split), namesFrom);
        SaliTopics topics = kafka.topics();
        KafkaConnection connection = kafka.connection();
        KafkaReachability.require(
                connection,
                alerts ? List.of(topics.alerts(), topics.masks()) : List.of(topics.masks()),
                Duration.ofSeconds(15));

        PrintWriter stdout = spec.commandLine().getOut();
        ResultTail.Options options =
                new ResultTail.Options(alerts, wanted, untilEnd, fromBeginning, readIsolation, limit);
        CountDownLatch done = new CountDownLatch(1);
        ResultTail.Outcome outcome;
        try (ResultTail tail = new ResultTail(connection, topics, options)) {
            Thread hook = new Thread(
                    () -> {
                        tail.wakeup();
                        try {
                            done.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "sali-tail-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                outcome = tail.run(
                        line -> {
                            stdout.println(line);
                            stdout.flush();
                        },
                        folder);
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook woke the consumer and waits for us
                }
            }
        }
        if (outcome == ResultTail.Outcome.TIMED_OUT) {
            spec.commandLine()
                    .getErr()
                    .println("sali tail: timed out after " + limit.toSeconds() + " s"
                            + (untilEnd ? " before every procedure had ended" : ""));
            return 2;
        }
        return 0;
    }
}
