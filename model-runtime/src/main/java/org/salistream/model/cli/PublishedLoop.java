package org.salistream.model.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The published SALI test loop (PyTorch, two encodes per frame, batch 1), run by the reference script
 * {@code bench_official.py} of {@code shared/reference} in a child process, so that {@code sali bench model}
 * measures it in the same run as this project's loops. Nothing of the published code is part of this
 * project: the script and the prepared published code ({@code setup_reference.sh}) are given by path.
 */
final class PublishedLoop {

    private static final Pattern MEDIAN = Pattern.compile("median ([0-9.]+) ms/frame");

    private final String python;
    private final Path tools;
    private final Path saliRoot;

    /**
     * @param python the Python 3 with PyTorch and torchvision
     * @param tools the reference folder: {@code bench_official.py} and {@code shim/}
     * @param saliRoot the published code as {@code setup_reference.sh} prepared it
     */
    PublishedLoop(String python, Path tools, Path saliRoot) {
        this.python = python;
        this.tools = tools;
        this.saliRoot = saliRoot;
        if (!Files.isRegularFile(tools.resolve("bench_official.py")) || !Files.isDirectory(tools.resolve("shim"))) {
            throw new IllegalArgumentException("--published-tools " + tools + " holds no bench_official.py and shim/");
        }
        if (!Files.isDirectory(saliRoot.resolve("lib"))) {
            throw new IllegalArgumentException(
                    "--published " + saliRoot + " holds no lib/ (prepare it with" + " setup_reference.sh)");
        }
    }

    /** Median ms per frame of the published loop, as the script prints it. */
    double medianMs(String backbone, int size, int frames, int threads) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                python,
                tools.resolve("bench_official.py").toString(),
                "--sali-root",
                saliRoot.toString(),
                "--shim",
                tools.resolve("shim").toString(),
                "--backbone",
                backbone,
                "--size",
                Integer.toString(size),
                "--frames",
                Integer.toString(frames),
                "--threads",
                Integer.toString(threads)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
            throw new IllegalStateException("the published loop failed: " + String.join(" ", cmd) + "\n" + tail(out));
        }
        Matcher m = MEDIAN.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("the published loop printed no median: " + tail(out));
        }
        return Double.parseDouble(m.group(1));
    }

    private static String tail(String s) {
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }
}
