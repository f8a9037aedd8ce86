package org.salistream.pipeline.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the JVMs of a standalone cluster: a {@code java} command of this JDK with the flags
 * Flink needs on Java 17, output to a file, detached from the caller ({@code setsid}, so that closing the
 * terminal of {@code sali cluster start} does not end the cluster), its pid written to a file.
 */
public final class JavaProcess {

    /** Reflective access Flink, Kryo and Kafka need on Java 17 (as {@code bin/sali} and the test JVMs pass). */
    public static final List<String> OPENS = List.of(
            "java.base/java.lang",
            "java.base/java.util",
            "java.base/java.nio",
            "java.base/sun.nio.ch",
            "java.base/java.lang.reflect",
            "java.base/java.io",
            "java.base/java.net",
            "java.base/java.util.concurrent",
            "java.base/java.util.concurrent.atomic",
            "java.base/java.time",
            "java.base/java.text",
            "java.sql/java.sql");

    /**
     * System properties passed on from the launching JVM to every cluster JVM when set: DJL offline, and
     * libtorch's thread counts (the same convolution kernels everywhere, so that masks are equal byte for
     * byte to {@code sali segment} run with the same settings).
     */
    public static final List<String> FORWARDED = List.of(
            "ai.djl.offline",
            "ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads",
            "ai.djl.pytorch.graph_optimizer");

    private JavaProcess() {}

    /** The java binary of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The common JVM flags: opens, forwarded properties, then {@code extra}. */
    public static List<String> jvmFlags(List<String> extra) {
        List<String> flags = new ArrayList<>();
        OPENS.forEach(o -> flags.add("--add-opens=" + o + "=ALL-UNNAMED"));
        for (String p : FORWARDED) {
            String v = System.getProperty(p);
            if (v != null) {
                flags.add("-D" + p + "=" + v);
            }
        }
        if (System.getProperty("ai.djl.offline") == null) {
            flags.add("-Dai.djl.offline=true");
        }
        flags.addAll(extra);
        return flags;
    }

    /**
     * Starts {@code command} detached, stdout and stderr to {@code out}, and writes its pid to {@code pidFile}.
     *
     * @return the pid
     */
    public static long startDetached(List<String> command, Path out, Path pidFile) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // not a group leader: setsid execs in place, so the pid is java's
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Files.writeString(pidFile, Long.toString(p.pid()) + "\n");
        return p.pid();
    }

    /** The live process of a pid file, if the file exists and the process runs. */
    public static Optional<ProcessHandle> alive(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sends SIGKILL ({@code kill -9}) to the process of a pid file; returns whether one was running. */
    public static boolean kill9(Path pidFile) {
        Optional<ProcessHandle> h = alive(pidFile);
        h.ifPresent(ProcessHandle::destroyForcibly); // SIGKILL on Linux
        h.ifPresent(ph -> awaitExit(ph, 10));
        return h.isPresent();
    }

    /** Stops the process of a pid file: SIGTERM, then SIGKILL after {@code graceSeconds}; deletes the pid file. */
    public static boolean stop(Path pidFile, int graceSeconds) throws IOException {
        Optional<ProcessHandle> h = alive(pidFile);
        if (h.isPresent()) {
            h.get().destroy(); // SIGTERM: Flink shuts down cleanly
            if (!awaitExit(h.get(), graceSeconds)) {
                h.get().destroyForcibly();
                awaitExit(h.get(), 10);
            }
        }
        Files.deleteIfExists(pidFile);
        return h.isPresent();
    }

    private static boolean awaitExit(ProcessHandle h, int seconds) {
        try {
            h.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return !h.isAlive();
        }
    }

    /** A port free on 127.0.0.1 now (another process may take it before it is bound: callers retry). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
