package org.salistream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sali version}: the project's version and the versions of the stack it runs on. */
@Command(name = "version", description = "Print the version of SALI Stream and of its stack.")
public final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    /** Reads the versions that Maven filtered into {@code sali-version.properties}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = VersionCommand.class.getResourceAsStream("/sali-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // fall through with unknowns
            }
            return new String[] {
                "SALI Stream " + p.getProperty("version", "unknown"),
                "  Java    " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                "  DJL     " + p.getProperty("djl", "?") + ", PyTorch " + p.getProperty("pytorch", "?"),
                "  Flink   " + p.getProperty("flink", "?") + ", Kafka " + p.getProperty("kafka", "?"),
                "  JavaCV  " + p.getProperty("javacv", "?"),
            };
        }
    }
}
