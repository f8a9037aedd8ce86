package org.salistream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: help, version, and one-line errors for user mistakes. */
class SaliCommandTest {

    private static String[] run(String... args) {
        CommandLine cl = SaliCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void helpListsEveryCommand() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        for (String c : new String[] {
            "demo", "run", "cluster", "replay", "broker", "topics", "segment", "eval", "synth", "train", "bench",
            "version"
        }) {
            assertTrue(r[1].contains(c), "help lists " + c + ":\n" + r[1]);
        }
    }

    @Test
    void benchListsItsBenchmarks() {
        String[] r = run("bench", "--help");
        assertEquals("0", r[0]);
        for (String c : new String[] {"ops", "model", "pipeline", "cluster"}) {
            assertTrue(r[1].contains(c), "bench lists " + c);
        }
    }

    @Test
    void versionNamesTheStack() {
        String out = new VersionCommand.Provider().getVersion()[0];
        assertTrue(out.startsWith("SALI Stream "), out);
    }

    @Test
    void aMissingCheckpointIsOneLineNotAStackTrace(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("frames"));
        String[] r = run(
                "segment",
                "--weights",
                dir.resolve("nope.pth").toString(),
                "--input",
                dir.resolve("frames").toString(),
                "--out",
                dir.resolve("out").toString());
        assertEquals("1", r[0]);
        assertTrue(!r[2].contains("\tat "), "no stack trace:\n" + r[2]);
    }

    @Test
    void anUnknownConfigurationKeyIsRefusedClearly() {
        String[] r = run("run", "--set", "batch.max-sise=3");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("unknown configuration key 'batch.max-sise'"), r[2]);
    }

    @Test
    void clusterCommandsOnAFolderWithoutAClusterSayShortlyThatThereIsNone(@TempDir Path dir) {
        for (String sub : new String[] {"status", "stop", "replace"}) {
            String[] r = run("cluster", sub, "--dir", dir.toString());
            assertEquals("1", r[0], sub);
            assertTrue(r[2].contains("no cluster in"), sub + ": " + r[2]);
            assertTrue(!r[2].contains("\tat "), "no stack trace:\n" + r[2]);
        }
    }

    @Test
    void badWeightsStopDemoAndRunBeforeAnythingStarts(@TempDir Path dir) {
        for (String cmd : new String[] {"demo", "run"}) {
            String[] r = run(cmd, "--weights", dir.resolve("missing.pth").toString());
            assertEquals("1", r[0], cmd + ": " + r[2]);
            assertTrue(
                    r[2].contains("no such checkpoint file")
                            && r[2].strip().lines().count() <= 2,
                    cmd + " says so in one line:\n" + r[2]);
            assertTrue(!r[2].contains("\tat "), "no stack trace:\n" + r[2]);
        }
    }

    @Test
    void aJobJarWithoutAClusterIsRefusedBeforeAnythingStarts() {
        String[] r = run("run", "--job-jar", "job.jar");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--job-jar needs --cluster"), r[2]);
    }

    @Test
    void evalReadsAlertFilesWithTheTopicsSerde(@TempDir Path dir) {
        String[] r = run(
                "eval",
                "--alerts",
                dir.resolve("none.jsonl").toString(),
                "--gt-root",
                dir.toString(),
                "--split",
                "demo");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no such alert file"), "the reader is wired in:\n" + r[2]);
    }
}
