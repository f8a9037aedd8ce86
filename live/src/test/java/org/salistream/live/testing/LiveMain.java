package org.salistream.live.testing;

import org.salistream.live.cli.IngestCommand;
import org.salistream.live.cli.TailCommand;
import org.salistream.live.cli.WatchCommand;
import picocli.CommandLine;

/**
 * {@code java -cp <test classpath> org.salistream.live.testing.LiveMain ingest|tail|watch ...}: a live command in
 * a process of its own, for tests that send it signals (the cli module, which has {@code bin/sali}'s main,
 * builds after this one).
 */
public final class LiveMain {

    private LiveMain() {}

    /** Runs the named command and exits with its status. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Root());
        cl.addSubcommand(new IngestCommand());
        cl.addSubcommand(new TailCommand());
        cl.addSubcommand(new WatchCommand());
        System.exit(cl.execute(args));
    }

    @CommandLine.Command(name = "sali")
    static final class Root implements Runnable {
        @Override
        public void run() {}
    }
}
