package org.salistream.kafka.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.salistream.kafka.EmbeddedKafkaBroker;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali broker}: a single-node Kafka (KRaft) broker for demos and development, with the SALI Stream
 * topics created, running until Ctrl-C. No Docker, no separate Kafka installation: the broker runs in
 * this JVM ({@link EmbeddedKafkaBroker}) on 127.0.0.1.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Runs a single-node Kafka broker (KRaft, in this JVM, on 127.0.0.1) with the SALI Stream topics",
                "(frames, masks, alerts, frames.dlq) until Ctrl-C."})
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Client port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = 9092;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory, kept across runs (default: a temporary directory deleted on exit).")
    Path dataDir;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of frames, masks and alerts (default: ${DEFAULT-VALUE}).")
    int partitions = TopicSettings.defaults().partitions();

    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile EmbeddedKafkaBroker broker;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(port);
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        out.println("Starting Kafka on 127.0.0.1" + (port == 0 ? "" : ":" + port) + "...");
        out.flush();
        EmbeddedKafkaBroker started = builder.build().start();
        broker = started;
        Thread hook = new Thread(this::shutdown, "sali-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Map<String, TopicAdmin.Outcome> topics = TopicAdmin.ensureTopics(started.bootstrapServers(),
                    TopicSettings.defaults().withPartitions(partitions));
            topics.forEach((name, outcome) -> out.println("  topic " + name + ": " + outcome.name().toLowerCase()));
            out.println("Kafka broker ready. Bootstrap servers: " + started.bootstrapServers());
            out.println("  cluster id " + started.clusterId() + ", data in " + started.dataDir());
            out.println("Press Ctrl-C to stop.");
            out.flush();
            stop.await();
        } finally {
            shutdown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook does the closing
            }
        }
        return 0;
    }

    /** Stops a running {@link #call()} (what Ctrl-C does through the shutdown hook). */
    public void stop() {
        stop.countDown();
    }

    /** The bootstrap address once started, else null (for tests and embedding). */
    public String bootstrapServers() {
        EmbeddedKafkaBroker b = broker;
        return b == null || !b.isRunning() ? null : b.bootstrapServers();
    }

    private synchronized void shutdown() {
        EmbeddedKafkaBroker b = broker;
        if (b != null) {
            b.close();
            broker = null;
        }
        stop.countDown();
    }
}
