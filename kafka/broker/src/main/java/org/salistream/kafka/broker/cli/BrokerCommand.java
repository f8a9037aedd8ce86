package org.salistream.kafka.broker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.broker.EmbeddedKafkaBroker;
import org.salistream.kafka.broker.security.SecureBrokerSetup;
import org.salistream.kafka.security.AccessPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali broker}: a single-node Kafka (KRaft) broker for demos and development, with the SALI Stream
 * topics created, running until Ctrl-C. No Docker, no separate Kafka installation: the broker runs in
 * this JVM ({@link EmbeddedKafkaBroker}) on 127.0.0.1. With {@code --secure DIR} it speaks only TLS with
 * client certificates and SCRAM-SHA-512 logins, enforces the {@link AccessPolicy} ACLs, and writes ready
 * client files for each user into DIR ({@link SecureBrokerSetup}).
 */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a single-node Kafka broker (KRaft, in this JVM, on 127.0.0.1) with the SALI Stream topics",
            "(frames, masks, alerts, frames.dlq) until Ctrl-C. It never alters an existing topic.",
            "With --secure DIR: SASL_SSL (SCRAM-SHA-512 + client certificates) and ACLs; users gateway, pipeline,",
            "viewer and admin, with client files DIR/<user>.properties (--kafka-config) and DIR/<user>.kcat.conf."
        })
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "Client port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = 9092;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory, kept across runs (default: a temporary directory deleted on exit).")
    Path dataDir;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "Partitions of frames, masks and alerts (default: ${DEFAULT-VALUE}).")
    int partitions = TopicSettings.defaults().partitions();

    @Option(
            names = "--secure",
            paramLabel = "DIR",
            description =
                    "Secure the broker with the CA, certificates and passwords in DIR (made on first use, then reused).")
    Path secureDir;

    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile EmbeddedKafkaBroker broker;

    @Override
    public Integer call() throws InterruptedException, IOException, GeneralSecurityException {
        PrintWriter out = spec.commandLine().getOut();
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(port);
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        SecureBrokerSetup secure = secureDir == null ? null : SecureBrokerSetup.prepare(secureDir);
        if (secure != null) {
            builder.security(secure.brokerSecurity());
        }
        out.println("Starting Kafka on 127.0.0.1" + (port == 0 ? "" : ":" + port)
                + (secure == null ? "" : " (SASL_SSL, ACLs)") + "...");
        out.flush();
        EmbeddedKafkaBroker started = builder.build().start();
        broker = started;
        Thread hook = new Thread(this::shutdown, "sali-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TopicSettings settings = TopicSettings.defaults().withPartitions(partitions);
            if (secure == null) {
                Map<String, TopicAdmin.Outcome> topics = TopicAdmin.ensureTopics(started.bootstrapServers(), settings);
                topics.forEach((name, outcome) ->
                        out.println("  topic " + name + ": " + outcome.name().toLowerCase()));
            } else {
                Map<String, Path> files = secure.configure(started, settings, Duration.ofSeconds(60));
                out.println(
                        "  users (SCRAM-SHA-512 + client certificate), client files for --kafka-config and kcat -F:");
                files.forEach(
                        (user, file) -> out.println("    " + user + ": " + file + ", " + secure.kcatConfig(user)));
            }
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
