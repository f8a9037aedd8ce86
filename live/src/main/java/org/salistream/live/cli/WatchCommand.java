package org.salistream.live.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.ProcedureIdSerde;
import org.salistream.kafka.ReadIsolation;
import org.salistream.kafka.SaliTopics;
import org.salistream.live.KafkaReachability;
import org.salistream.live.watch.LiveStreams;
import org.salistream.live.watch.OverlayRecorder;
import org.salistream.live.watch.ViewerHub;
import org.salistream.live.watch.WatchServer;
import org.salistream.model.cli.CommandErrors;
import org.salistream.pipeline.cli.JobClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali watch}: a live web viewer of the procedures streaming now (the frame with the mask's outline
 * and boxes, the alert banner and timeline, fps and capture-to-screen latency), or with {@code --record} the
 * same overlay written to an mp4. Reads {@code read_uncommitted} by default: a screen wants the mask
 * milliseconds after the model, not at the next checkpoint.
 */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serve a live viewer of the procedures streaming now (http://127.0.0.1:8080/ by default), or record"
                    + " one procedure's overlay to an mp4 with --record.",
            "The viewer has no login: it listens on 127.0.0.1 unless --bind says otherwise."
        })
public final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobClientOptions kafka;

    @Option(
            names = "--http-port",
            paramLabel = "N",
            defaultValue = "8080",
            description = "HTTP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--procedure",
            paramLabel = "ID",
            description = "Only this procedure (repeatable; default: every one).")
    List<String> procedures = List.of();

    @Option(
            names = "--isolation",
            paramLabel = "live|committed",
            defaultValue = "live",
            description = "live (read_uncommitted, lowest latency) or committed (read_committed, at each checkpoint)"
                    + " (default: ${DEFAULT-VALUE}).")
    String isolation;

    @Option(
            names = "--record",
            paramLabel = "FILE.mp4",
            description = "Write the overlay of --procedure to this video until it ends, instead of serving.")
    Path record;

    @Option(
            names = "--record-fps",
            paramLabel = "N",
            defaultValue = "25",
            description = "Frame rate of the recording (default: ${DEFAULT-VALUE}).")
    double recordFps;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int boundPort = -1;

    @Override
    public Integer call() throws Exception {
        try {
            return CommandErrors.run("sali watch", spec.commandLine().getErr(), this::watch);
        } finally {
            finished.countDown();
        }
    }

    /** Stops a running viewer (what Ctrl-C does), for tests and embedding. */
    public void stop() {
        stop.countDown();
    }

    /** The HTTP port once serving, else -1. */
    public int boundPort() {
        return boundPort;
    }

    private int watch() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be within 0..65535, got " + httpPort);
        }
        ReadIsolation readIsolation = ReadIsolation.parse(isolation);
        Set<String> wanted = new LinkedHashSet<>();
        procedures.forEach(p -> wanted.add(ProcedureIdSerde.require(p)));
        if (record != null) {
            if (wanted.size() != 1) {
                throw new IllegalArgumentException(
                        "--record writes one procedure per video: give exactly one --procedure");
            }
            if (!record.getFileName()
                    .toString()
                    .toLowerCase(java.util.Locale.ROOT)
                    .endsWith(".mp4")) {
                throw new IllegalArgumentException("--record must name an .mp4 file, got " + record);
            }
            Path dir = record.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--record: no folder " + dir);
            }
            if (!(recordFps > 0 && recordFps <= 120)) {
                throw new IllegalArgumentException("--record-fps must be within (0, 120], got " + recordFps);
            }
        }
        SaliTopics topics = kafka.topics();
        KafkaConnection connection = kafka.connection();
        KafkaReachability.require(
                connection, List.of(topics.frames(), topics.masks(), topics.alerts()), Duration.ofSeconds(15));

        ViewerHub hub = new ViewerHub(wanted);
        OverlayRecorder recorder = null;
        WatchServer server = null;
        if (record != null) {
            recorder = new OverlayRecorder(record, recordFps, wanted.iterator().next());
            hub.addListener(recorder);
        } else {
            server = WatchServer.start(bind, httpPort, hub);
            boundPort = server.port();
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sali-watch-tick");
            t.setDaemon(true);
            return t;
        });
        Thread hook = new Thread(
                () -> {
                    stop();
                    try {
                        finished.await(20, TimeUnit.SECONDS); // a recording is finished before the JVM exits
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "sali-watch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (LiveStreams streams = new LiveStreams(connection, topics, readIsolation, hub)) {
            Thread reading = new Thread(streams, "sali-watch-kafka");
            reading.setDaemon(true);
            reading.start();
            ticker.scheduleAtFixedRate(hub::tick, 1, 1, TimeUnit.SECONDS);
            if (recorder != null) {
                err.println("sali watch: recording to " + record + " (" + readIsolation
                        + " isolation) until the procedure ends;" + " Ctrl-C to stop earlier");
                err.flush();
                while (!recorder.awaitEnd(200, TimeUnit.MILLISECONDS) && stop.getCount() > 0) {
                    // wait for the end marker, or Ctrl-C
                }
            } else {
                String host = bind.contains(":") ? "[" + bind + "]" : bind;
                err.println("sali watch: viewer at http://" + host + ":" + boundPort + "/ (" + readIsolation
                        + " isolation);" + " Ctrl-C to stop");
                if (!InetAddress.getByName(bind).isLoopbackAddress()) {
                    err.println("sali watch: WARNING: listening on " + bind
                            + " without a login; anyone who reaches it sees" + " patient video");
                }
                err.flush();
                stop.await();
            }
        } finally {
            ticker.shutdownNow();
            if (server != null) {
                server.close();
            }
            if (recorder != null) {
                recorder.close();
                err.println("sali watch: " + recorder.written() + " frames written to " + record);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook has stopped us
            }
        }
        return 0;
    }
}
