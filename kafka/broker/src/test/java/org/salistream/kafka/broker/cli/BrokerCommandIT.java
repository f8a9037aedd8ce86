package org.salistream.kafka.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.Topics;
import picocli.CommandLine;

/** {@code sali broker}: starts, creates the topics, prints the address, stops cleanly on request. */
class BrokerCommandIT {

    @Test
    void theBrokerCommandServesTheTopicsUntilStopped(@TempDir Path dir) throws Exception {
        BrokerCommand command = new BrokerCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        Path data = dir.resolve("kafka");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cli.execute("--port", "0", "--data-dir", data.toString(), "--partitions", "2"));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString().contains("Press Ctrl-C") && !exit.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String printed = out.toString();
        assertTrue(printed.contains("Kafka broker ready. Bootstrap servers: 127.0.0.1:"), printed);
        assertTrue(printed.contains("topic frames: created"), printed);
        String bootstrap = command.bootstrapServers();
        assertNotEquals(null, bootstrap);
        assertTrue(printed.contains(bootstrap), printed);
        try (Admin admin = Admin.create(ClientConfigs.admin(bootstrap))) {
            Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertTrue(names.containsAll(Topics.ALL), names.toString());
            assertEquals(
                    2,
                    admin.describeTopics(Set.of(Topics.FRAMES))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get(Topics.FRAMES)
                            .partitions()
                            .size());
        }

        command.stop();
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
        assertNull(command.bootstrapServers());
        assertTrue(Files.exists(data.resolve("metadata").resolve("meta.properties")), "a given data directory is kept");
    }

    @Test
    void aBusyPortEndsTheCommandWithAClearMessage() throws Exception {
        try (java.net.ServerSocket busy =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new BrokerCommand());
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new StringWriter(), true));
            int code = cli.execute("--port", Integer.toString(busy.getLocalPort()));
            assertNotEquals(0, code);
            assertTrue(
                    err.toString().contains("port " + busy.getLocalPort() + " on 127.0.0.1 is already in use"),
                    err.toString());
            assertFalse(err.toString().isEmpty());
        }
    }
}
