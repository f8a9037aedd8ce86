package org.salistream.live.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code ffmpeg} serving a video file, looped without end, as MPEG-TS over TCP on loopback at its
 * own pace ({@code -re}), as a live encoder or video gateway does: it listens, the client connects, the
 * stream flows; killing the process cuts the stream the way a crashed encoder or a pulled cable does.
 */
public final class FfmpegStreamer implements AutoCloseable {

    private final Process process;
    private final int port;

    private FfmpegStreamer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts serving {@code video} on {@code 127.0.0.1:port} and returns once the port listens. */
    public static FfmpegStreamer serve(Path ffmpeg, Path video, int port, Path log)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(
                        ffmpeg.toString(),
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-re",
                        "-stream_loop",
                        "-1",
                        "-i",
                        video.toString(),
                        "-c",
                        "copy",
                        "-f",
                        "mpegts",
                        "tcp://127.0.0.1:" + port + "?listen=1"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        FfmpegStreamer s = new FfmpegStreamer(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!listening(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                s.close();
                throw new IOException("ffmpeg did not listen on port " + port + ": " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return s;
    }

    /** Whether something listens on the TCP port (read from /proc, without connecting: ffmpeg serves one client). */
    static boolean listening(int port) throws IOException {
        String hex = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path f = Path.of(table);
            if (!Files.exists(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f)) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length > 3 && cols[1].endsWith(hex) && cols[3].equals("0A")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether ffmpeg still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The port served. */
    public int port() {
        return port;
    }

    /** Cuts the stream: kills ffmpeg at once (SIGKILL). */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
