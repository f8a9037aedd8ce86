package org.salistream.live.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@link LiveMain} command in a JVM of its own, on this test's classpath, its output in a file. */
public final class JvmProcess {

    private JvmProcess() {}

    /** Starts {@code LiveMain args...}; stdout and stderr go to {@code log}. */
    public static Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        String logConfig = System.getProperty("log4j2.configurationFile");
        if (logConfig != null) {
            cmd.add("-Dlog4j2.configurationFile=" + logConfig);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LiveMain.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
