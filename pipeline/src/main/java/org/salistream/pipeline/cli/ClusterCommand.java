package org.salistream.pipeline.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.salistream.pipeline.cluster.ClusterRest;
import org.salistream.pipeline.cluster.ClusterSpec;
import org.salistream.pipeline.cluster.StandaloneCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sali cluster start|stop|status}: a Flink standalone session cluster on this machine, one JVM per
 * process (see {@link StandaloneCluster}); jobs go to it with {@code sali run --cluster HOST:PORT}.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "A Flink standalone cluster on this machine (one JVM per JobManager and TaskManager).",
        subcommands = {
            ClusterCommand.Start.class,
            ClusterCommand.Stop.class,
            ClusterCommand.Status.class,
            ClusterCommand.Replace.class
        })
public final class ClusterCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code sali cluster start}. */
    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start a JobManager and task managers; prints the REST address host:port on its last line.")
    public static final class Start implements Callable<Integer> {
        @Option(
                names = "--task-managers",
                defaultValue = "1",
                description = "TaskManager processes (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(
                names = "--slots",
                defaultValue = "2",
                description = "Slots per TaskManager (default: ${DEFAULT-VALUE}).")
        int slots;

        @Mixin
        ClusterDir dir;

        @Option(
                names = "--tm-memory",
                defaultValue = "1280m",
                description =
                        "Flink memory of each TaskManager process; libtorch's native memory comes on top (default: ${DEFAULT-VALUE}).")
        String tmMemory;

        @Option(
                names = "--set",
                paramLabel = "KEY=VALUE",
                description = "A Flink setting for every process (repeatable).")
        Map<String, String> flink = new LinkedHashMap<>();

        @Option(
                names = "--timeout",
                defaultValue = "180",
                description = "Seconds to wait for the TaskManagers (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Override
        public Integer call() throws Exception {
            ClusterSpec.Builder b = ClusterSpec.builder()
                    .taskManagers(taskManagers)
                    .slots(slots)
                    .dir(dir.path)
                    .taskManagerMemory(tmMemory)
                    .startTimeout(Duration.ofSeconds(timeout));
            flink.forEach(b::flink);
            System.err.println("sali cluster: starting a JobManager and " + taskManagers + " TaskManager(s) of " + slots
                    + " slot(s) in " + dir.path.toAbsolutePath());
            StandaloneCluster c = StandaloneCluster.start(b.build());
            c.processStatus().forEach((p, s) -> System.err.println("  " + p + ": " + s));
            System.err.println("sali cluster: ready; submit with sali run --cluster " + c.restAddress()
                    + "; stop with sali cluster stop --dir " + dir.path);
            System.out.println(c.restAddress());
            return 0;
        }
    }

    /** {@code sali cluster stop}. */
    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop every process of the cluster in DIR.")
    public static final class Stop implements Callable<Integer> {
        @Mixin
        ClusterDir dir;

        @Override
        public Integer call() throws Exception {
            List<String> stopped = StandaloneCluster.attach(dir.path).stop();
            System.out.println(
                    stopped.isEmpty()
                            ? "sali cluster: nothing was running in " + dir.path
                            : "sali cluster: stopped " + String.join(", ", stopped));
            return 0;
        }
    }

    /** {@code sali cluster status}. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Processes, registered TaskManagers and slots, and jobs of the cluster in DIR; exit 1 when it is down.")
    public static final class Status implements Callable<Integer> {
        @Mixin
        ClusterDir dir;

        @Override
        public Integer call() throws Exception {
            StandaloneCluster c = StandaloneCluster.attach(dir.path);
            c.processStatus().forEach((p, s) -> System.out.println(p + ": " + s));
            if (c.processes().isEmpty()) {
                System.out.println("no process of the cluster in " + dir.path + " (stopped)");
            }
            ClusterRest rest = c.rest();
            if (!rest.reachable()) {
                System.out.println("REST " + c.restAddress() + ": not answering");
                return 1;
            }
            List<ClusterRest.TaskManager> tms = rest.taskManagers();
            int slots = tms.stream().mapToInt(ClusterRest.TaskManager::slots).sum();
            int free = tms.stream().mapToInt(ClusterRest.TaskManager::freeSlots).sum();
            System.out.println("REST " + c.restAddress() + ": " + tms.size() + " TaskManager(s) registered, " + slots
                    + " slot(s), " + free + " free");
            for (ClusterRest.Job j : rest.jobs()) {
                System.out.println("job " + j.id() + " '" + j.name() + "': " + j.state() + ", " + rest.failures(j.id())
                        + " failure(s) recovered from");
            }
            return 0;
        }
    }

    /** {@code sali cluster replace}. */
    @Command(
            name = "replace",
            mixinStandardHelpOptions = true,
            description = "Start again every TaskManager of the cluster in DIR that is not running (after a crash).")
    public static final class Replace implements Callable<Integer> {
        @Mixin
        ClusterDir dir;

        @Option(
                names = "--timeout",
                defaultValue = "180",
                description = "Seconds to wait for them to register (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Override
        public Integer call() throws Exception {
            StandaloneCluster c = StandaloneCluster.attach(dir.path);
            List<String> started = c.replaceDeadTaskManagers(Duration.ofSeconds(timeout));
            System.out.println(
                    started.isEmpty()
                            ? "sali cluster: every TaskManager is running"
                            : "sali cluster: started " + String.join(", ", started) + " again");
            return 0;
        }
    }

    /** {@code --dir}, the cluster's folder: the same option, default and meaning for every subcommand. */
    static final class ClusterDir {
        @Option(
                names = "--dir",
                defaultValue = "sali-cluster",
                description = "The cluster's folder: configuration, logs and pid files (default: ${DEFAULT-VALUE}).")
        Path path;
    }
}
