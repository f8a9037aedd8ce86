package org.salistream.kafka.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.SaliTopics;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicDrift;
import org.salistream.kafka.TopicSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali topics}: how the SALI Stream topics on a cluster differ from the wanted settings, and, only
 * with {@code --apply}, the change. Nothing else in SALI Stream alters an existing topic.
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Show how the SALI Stream topics (frames, masks, alerts, frames.dlq) differ from the wanted settings;",
            "with --apply, create the missing ones, set differing configs and add partitions.",
            "Exit status: 0 when the topics are in sync (after --apply), 3 when some still differ."
        })
public final class TopicsCommand implements Callable<Integer> {

    /** Exit status when some topic differs from the wanted settings. */
    public static final int DRIFT = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--apply", description = "Change the cluster: create missing topics, set configs, add partitions.")
    boolean apply;

    @Option(
            names = "--partitions",
            paramLabel = "P",
            description = "Partitions of frames, masks and alerts (default: ${DEFAULT-VALUE}).")
    int partitions = TopicSettings.defaults().partitions();

    @Option(
            names = "--replication",
            paramLabel = "R",
            description = "Replication factor (default: ${DEFAULT-VALUE}; 3 on a production cluster).")
    int replication = TopicSettings.defaults().replicationFactor();

    @Option(
            names = "--min-insync",
            paramLabel = "M",
            description = "min.insync.replicas (default: ${DEFAULT-VALUE}; 2 with replication 3).")
    int minInsync = TopicSettings.defaults().minInsyncReplicas();

    @Option(
            names = "--max-frame-bytes",
            paramLabel = "N",
            description = "Largest frame accepted (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes = TopicSettings.DEFAULT_MAX_FRAME_BYTES;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Admin timeout (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The job's configuration (properties): the topic names it uses (kafka.topics.*); default: the contract's.")
    Path jobConfig;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        TopicSettings wanted = TopicSettings.defaults()
                .withPartitions(partitions)
                .withReplication(replication, minInsync)
                .withMaxFrameBytes(maxFrameBytes);
        KafkaConnection connection = kafka.connection();
        SaliTopics topics = topics();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        out.println("Topics at " + connection.bootstrapServers() + " (" + connection.securityProtocol() + "), wanted: "
                + describe(wanted));
        try (Admin admin = Admin.create(ClientConfigs.admin(connection))) {
            List<TopicDrift> drift = TopicAdmin.inspect(admin, wanted, topics, timeout);
            print(out, drift);
            if (apply && drift.stream().anyMatch(d -> !d.inSync())) {
                Map<String, TopicAdmin.Outcome> outcomes = TopicAdmin.apply(admin, wanted, topics, timeout);
                out.println("Applied:");
                outcomes.forEach(
                        (name, o) -> out.println("  " + name + ": " + o.name().toLowerCase(java.util.Locale.ROOT)));
                drift = TopicAdmin.inspect(admin, wanted, topics, timeout);
                out.println("Now:");
                print(out, drift);
            }
            long differing = drift.stream().filter(d -> !d.inSync()).count();
            if (differing == 0) {
                out.println("All topics are in sync.");
                out.flush();
                return 0;
            }
            out.println(differing + " topic(s) differ"
                    + (apply
                            ? " in what --apply cannot change."
                            : "; nothing was changed" + " (run again with --apply to change them)."));
            out.flush();
            return DRIFT;
        } catch (KafkaException e) {
            // Authorization, authentication or an unreachable cluster: the operator's problem, in one line.
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The deployment's topic names: the job configuration's {@code kafka.topics.*} keys, else the contract's. */
    private SaliTopics topics() throws IOException {
        if (jobConfig == null) {
            return SaliTopics.defaults();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(jobConfig)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--config: no such file " + jobConfig);
        }
        return SaliTopics.fromKeys(p::getProperty);
    }

    private static void print(PrintWriter out, List<TopicDrift> drift) {
        for (TopicDrift d : drift) {
            if (d.inSync()) {
                out.println("  " + d.name() + ": in sync");
            } else {
                out.println("  " + d.name() + ":");
                d.differences().forEach(line -> out.println("      " + line));
            }
        }
    }

    private static String describe(TopicSettings s) {
        return s.partitions() + " partitions (frames.dlq " + s.dlqPartitions() + "), replication "
                + s.replicationFactor()
                + ", min.insync.replicas " + s.minInsyncReplicas() + ", retention frames "
                + s.frameRetention().toHours()
                + " h, masks " + s.maskRetention().toDays() + " d, alerts "
                + s.alertRetention().toDays() + " d, frames.dlq "
                + s.dlqRetention().toHours() + " h";
    }
}
