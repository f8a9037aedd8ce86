package org.salistream.pipeline.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a standalone cluster's processes read: {@code conf/config.yaml} (Flink's settings, flat keys)
 * and {@code conf/log4j2.xml}; and the memory flags Flink's own {@code BashJavaUtils} derives from them, as
 * {@code taskmanager.sh} and {@code jobmanager.sh} ask for them.
 */
final class ClusterConfig {

    private static final String PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private ClusterConfig() {}

    /** The settings of a cluster; {@code spec.flink()} overrides them. */
    static Map<String, String> settings(ClusterSpec spec, int restPort, int rpcPort) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("jobmanager.memory.process.size", spec.jobManagerMemory());
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        c.put("blob.server.port", "0");
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.rpc.port", "0");
        c.put("taskmanager.data.port", "0");
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(spec.slots()));
        c.put("taskmanager.memory.process.size", spec.taskManagerMemory());
        // The heap state backend needs no managed memory; a little for RocksDB when a job chooses it.
        c.put("taskmanager.memory.managed.size", "64m");
        c.put("parallelism.default", "1");
        // Spread a job's slots over task managers: a spare slot on another process survives a crash.
        c.put("cluster.evenly-spread-out-slots", "true");
        // A lost task manager is noticed within seconds, not Flink's default 50 s.
        c.put("heartbeat.interval", "2000");
        c.put("heartbeat.timeout", "15000");
        // DJL loads libtorch through JNI; a second user-code classloader (after a restart) could not load it
        // again in the same JVM, so DJL always comes from the cluster's classpath, whatever a job jar holds.
        c.put("classloader.parent-first-patterns.additional", "ai.djl.");
        c.put("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.put("metrics.reporter.prom.host", "127.0.0.1");
        c.put("io.tmp.dirs", spec.dir().toAbsolutePath().resolve("tmp").toString());
        c.put("web.tmpdir", spec.dir().toAbsolutePath().resolve("tmp").toString());
        c.putAll(spec.flink());
        return c;
    }

    /** Writes {@code conf/config.yaml} and {@code conf/log4j2.xml}. */
    static void write(Path dir, ClusterSpec spec, int restPort, int rpcPort) throws IOException {
        StringBuilder yaml = new StringBuilder("# Written by sali cluster start; every process reads it.\n");
        settings(spec, restPort, rpcPort)
                .forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
        Files.writeString(dir.resolve("conf").resolve("config.yaml"), yaml.toString());
        Files.writeString(dir.resolve("conf").resolve("log4j2.xml"), LOG4J);
    }

    private static String quote(String v) {
        return v.matches("[A-Za-z0-9_./:-]+") ? v : "'" + v.replace("'", "''") + "'";
    }

    /** The JVM flags (-Xmx, -Xms, ...) Flink computes for a process ({@code GET_TM_RESOURCE_PARAMS} or JM). */
    static List<String> memoryParams(Path dir, String classpath, String what) throws IOException, InterruptedException {
        return Arrays.asList(bashJavaUtils(dir, classpath, what).get(0).trim().split("\\s+"));
    }

    /** The {@code -D key=value} properties Flink computes for a process, as separate arguments. */
    static List<String> dynamicProperties(Path dir, String classpath, String what)
            throws IOException, InterruptedException {
        String line = bashJavaUtils(dir, classpath, what).get(1).trim();
        return line.isEmpty() ? List.of() : Arrays.asList(line.split("\\s+"));
    }

    private static List<String> bashJavaUtils(Path dir, String classpath, String what)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                JavaProcess.java(),
                "-cp",
                classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                what,
                "--configDir",
                dir.resolve("conf").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> results = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                all.append(line).append('\n');
                if (line.startsWith(PREFIX)) {
                    results.add(line.substring(PREFIX.length()));
                }
            }
        }
        if (p.waitFor() != 0 || results.size() < 2) {
            throw new IOException("Flink's BashJavaUtils " + what + " failed: " + all);
        }
        return results.subList(results.size() - 2, results.size());
    }

    private static final String LOG4J = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- Written by sali cluster start: each process logs to the file named by -Dlog.file. -->
            <Configuration status="ERROR">
              <Appenders>
                <File name="file" fileName="${sys:log.file}" append="true">
                  <PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss,SSS} %-5level %c{1.} [%t] - %msg%n"/>
                </File>
              </Appenders>
              <Loggers>
                <Logger name="org.apache.flink.runtime.metrics.groups" level="ERROR"/>
                <Logger name="org.apache.flink.metrics.MetricGroup" level="ERROR"/>
                <Logger name="org.apache.kafka" level="WARN"/>
                <Logger name="ai.djl.util.cuda.CudaUtils" level="ERROR"/>
                <Root level="INFO"><AppenderRef ref="file"/></Root>
              </Loggers>
            </Configuration>
            """;
}
