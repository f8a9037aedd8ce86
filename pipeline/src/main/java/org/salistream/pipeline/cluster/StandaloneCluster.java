package org.salistream.pipeline.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A Flink standalone session cluster on this machine, one JVM per process, started from the Flink
 * runtime's own entry points as Flink's scripts start them (Maven has no Flink distribution):
 * {@code StandaloneSessionClusterEntrypoint --configDir DIR} for the JobManager, and for each TaskManager
 * the JVM flags and {@code -D} memory properties that {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} computes,
 * then {@code TaskManagerRunner --configDir DIR}. Everything binds to 127.0.0.1.
 *
 * <p>The folder holds {@code conf/config.yaml}, one log and pid file per process ({@code jobmanager.log},
 * {@code jobmanager.pid}, {@code taskmanager-1.log}, ...), and {@code cluster.properties} (REST address,
 * metric ports, classpath), so that {@link #attach} finds a running cluster again. Each process serves
 * Prometheus metrics (Flink's own reporter) on a port of its own.
 */
public final class StandaloneCluster {

    private static final String STATE = "cluster.properties";

    private final ClusterSpec spec;
    private final Path dir;
    private final Properties state;

    private StandaloneCluster(ClusterSpec spec, Path dir, Properties state) {
        this.spec = spec;
        this.dir = dir;
        this.state = state;
    }

    /** Starts a cluster and waits until its task managers are registered. */
    public static StandaloneCluster start(ClusterSpec spec) throws IOException, InterruptedException {
        Path dir = spec.dir().toAbsolutePath();
        if (Files.isRegularFile(dir.resolve("jobmanager.pid"))
                && JavaProcess.alive(dir.resolve("jobmanager.pid")).isPresent()) {
            throw new IllegalStateException(
                    "a cluster is already running in " + dir + " (sali cluster stop --dir " + dir + ")");
        }
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("tmp"));
        Properties state = new Properties();
        int rest = JavaProcess.freePort();
        state.setProperty("rest.address", "127.0.0.1:" + rest);
        state.setProperty("classpath", spec.classpath());
        state.setProperty("jvm-options", String.join(" ", spec.jvmOptions()));
        ClusterConfig.write(dir, spec, rest, JavaProcess.freePort());
        StandaloneCluster c = new StandaloneCluster(spec, dir, state);
        c.startJobManager();
        c.save(); // from here on, sali cluster stop finds what was started
        try {
            for (int i = 1; i <= spec.taskManagers(); i++) {
                c.startTaskManager(i);
            }
            c.awaitTaskManagers(spec.taskManagers(), spec.startTimeout());
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.stop(); // a cluster that did not start leaves no process behind
            throw e;
        }
        return c;
    }

    /** The cluster whose folder is {@code dir} (started before, possibly by another process). */
    public static StandaloneCluster attach(Path dir) throws IOException {
        Path d = dir.toAbsolutePath();
        Path file = d.resolve(STATE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "no cluster in " + d + " (no " + STATE + "; start one with sali cluster start --dir " + d + ")");
        }
        Properties state = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            state.load(r);
        }
        List<String> opts = state.getProperty("jvm-options", "").isBlank()
                ? List.of()
                : Arrays.asList(state.getProperty("jvm-options").split(" "));
        ClusterSpec spec = ClusterSpec.builder()
                .dir(d)
                .classpath(state.getProperty("classpath"))
                .jvmOptions(opts)
                .build();
        return new StandaloneCluster(spec, d, state);
    }

    /** The REST address, {@code 127.0.0.1:<port>} (what {@code sali run --cluster} takes). */
    public String restAddress() {
        return state.getProperty("rest.address");
    }

    /** A client of the REST API. */
    public ClusterRest rest() {
        return new ClusterRest(restAddress());
    }

    /** The cluster's folder. */
    public Path dir() {
        return dir;
    }

    /** Names of the processes with a pid file, JobManager first. */
    public List<String> processes() throws IOException {
        List<String> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".pid"))
                    .sorted()
                    .forEach(n -> out.add(n.substring(0, n.length() - 4)));
        }
        out.sort((a, b) -> a.equals("jobmanager") ? -1 : b.equals("jobmanager") ? 1 : a.compareTo(b));
        return out;
    }

    /** The pid file of a process ({@code jobmanager}, {@code taskmanager-1}, ...). */
    public Path pidFile(String process) {
        return dir.resolve(process + ".pid");
    }

    /** The Prometheus port of a process, or -1. */
    public int prometheusPort(String process) {
        return Integer.parseInt(state.getProperty(process + ".prometheus-port", "-1"));
    }

    /** Starts (or, after it died, starts again) task manager {@code i}, with a new metrics port. */
    public void startTaskManager(int i) throws IOException, InterruptedException {
        String name = "taskmanager-" + i;
        if (JavaProcess.alive(pidFile(name)).isPresent()) {
            throw new IllegalStateException(name + " is already running");
        }
        int prometheus = JavaProcess.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaProcess.java());
        cmd.addAll(ClusterConfig.memoryParams(dir, spec.classpath(), "GET_TM_RESOURCE_PARAMS"));
        cmd.addAll(logFlags(name));
        cmd.addAll(JavaProcess.jvmFlags(spec.jvmOptions()));
        cmd.addAll(List.of(
                "-cp",
                spec.classpath(),
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                "--configDir",
                dir.resolve("conf").toString()));
        cmd.addAll(ClusterConfig.dynamicProperties(dir, spec.classpath(), "GET_TM_RESOURCE_PARAMS"));
        cmd.addAll(List.of("-Dtaskmanager.resource-id=" + name, "-Dmetrics.reporter.prom.port=" + prometheus));
        JavaProcess.startDetached(cmd, dir.resolve(name + ".out"), pidFile(name));
        state.setProperty(name + ".prometheus-port", Integer.toString(prometheus));
        save();
    }

    /** Starts again every task manager whose process is gone, and waits until all are registered. */
    public List<String> replaceDeadTaskManagers(Duration timeout) throws IOException, InterruptedException {
        List<String> started = new ArrayList<>();
        int all = 0;
        for (String p : processes()) {
            if (p.startsWith("taskmanager-")) {
                all++;
                if (JavaProcess.alive(pidFile(p)).isEmpty()) {
                    startTaskManager(Integer.parseInt(p.substring("taskmanager-".length())));
                    started.add(p);
                }
            }
        }
        awaitTaskManagers(all, timeout);
        return started;
    }

    private void startJobManager() throws IOException, InterruptedException {
        int prometheus = JavaProcess.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaProcess.java());
        cmd.addAll(ClusterConfig.memoryParams(dir, spec.classpath(), "GET_JM_RESOURCE_PARAMS"));
        cmd.addAll(logFlags("jobmanager"));
        cmd.addAll(JavaProcess.jvmFlags(spec.jvmOptions()));
        cmd.addAll(List.of(
                "-cp",
                spec.classpath(),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                "--configDir",
                dir.resolve("conf").toString()));
        cmd.addAll(ClusterConfig.dynamicProperties(dir, spec.classpath(), "GET_JM_RESOURCE_PARAMS"));
        cmd.add("-Dmetrics.reporter.prom.port=" + prometheus);
        JavaProcess.startDetached(cmd, dir.resolve("jobmanager.out"), pidFile("jobmanager"));
        state.setProperty("jobmanager.prometheus-port", Integer.toString(prometheus));
    }

    private List<String> logFlags(String name) {
        return List.of(
                "-Dlog.file=" + dir.resolve(name + ".log"),
                "-Dlog4j2.configurationFile=" + dir.resolve("conf").resolve("log4j2.xml"));
    }

    /** Waits until at least {@code n} task managers are registered with the JobManager. */
    public void awaitTaskManagers(int n, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ClusterRest rest = rest();
        String last = "REST endpoint not answering";
        while (System.nanoTime() < deadline) {
            if (JavaProcess.alive(pidFile("jobmanager")).isEmpty()) {
                throw new IOException(
                        "the JobManager died; see " + dir.resolve("jobmanager.log") + " and jobmanager.out");
            }
            try {
                int registered = rest.taskManagers().size();
                if (registered >= n) {
                    return;
                }
                last = registered + " of " + n + " task managers registered";
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new IOException("the cluster in " + dir + " was not ready within " + timeout.toSeconds() + " s (" + last
                + "); see the .log and .out files there");
    }

    /** Stops every process of the cluster (task managers first); returns the names of those that were running. */
    public List<String> stop() throws IOException {
        List<String> stopped = new ArrayList<>();
        List<String> names = processes();
        java.util.Collections.reverse(names); // task managers before the JobManager
        for (String p : names) {
            if (JavaProcess.stop(pidFile(p), 30)) {
                stopped.add(p);
            }
        }
        return stopped;
    }

    /** {@code kill -9} of one process, as a crash would; returns whether it was running. */
    public boolean kill9(String process) {
        return JavaProcess.kill9(pidFile(process));
    }

    /** Per process: running or not, with pid and metrics endpoint. */
    public Map<String, String> processStatus() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : processes()) {
            var h = JavaProcess.alive(pidFile(p));
            out.put(
                    p,
                    h.map(ph -> "running (pid " + ph.pid() + ", metrics http://127.0.0.1:" + prometheusPort(p)
                                    + "/metrics)")
                            .orElse("not running"));
        }
        return out;
    }

    private void save() throws IOException {
        try (Writer w = Files.newBufferedWriter(dir.resolve(STATE), StandardCharsets.UTF_8)) {
            state.store(w, "sali cluster (do not edit: written by sali cluster start)");
        }
    }
}
