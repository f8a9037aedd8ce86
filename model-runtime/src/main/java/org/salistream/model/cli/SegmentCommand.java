package org.salistream.model.cli;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.salistream.model.checkpoint.ShippedModel;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.FrameMask;
import org.salistream.model.image.RgbImage;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ProcedureRunner;
import org.salistream.model.stage.SegmentResult;
import org.salistream.ops.io.Npy;
import org.salistream.ops.io.NpyArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali segment}: segments the frames of a folder as one procedure, offline, the way the published
 * {@code test_video.py} does, and writes the 8-bit probability maps it writes (plus, on request, the logits
 * as {@code .npy} for comparison with the Python model).
 *
 * <p>Bad input (an unreadable or foreign checkpoint, an undecodable frame, frames of different sizes) ends
 * with one line {@code sali segment: <message>} on stderr and exit code 1 ({@link CommandErrors}).
 */
@Command(
        name = "segment",
        mixinStandardHelpOptions = true,
        description = "Segment a folder of frames (one procedure, name order) with SALI, offline.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:all frames segmented",
            "1:bad input (checkpoint, frame, option value); see the message",
            "2:invalid command line"
        })
public final class SegmentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Folder of PNG/JPEG frames.")
    Path input;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Output folder: <frame>.png maps, and logits/<frame>.npy with --save-logits.")
    Path out;

    @Option(names = "--save-logits", description = "Also write the final logits (1x1xSxS float32 .npy).")
    boolean saveLogits;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        return CommandErrors.run("sali segment", err, () -> segment(err));
    }

    private int segment(PrintWriter err) throws Exception {
        List<Path> frames = frames(input);
        if (frames.isEmpty()) {
            throw new IOException(input + ": no .png/.jpg/.jpeg frames in this folder");
        }
        Files.createDirectories(out);
        if (saveLogits) {
            Files.createDirectories(out.resolve("logits"));
        }
        long start = System.nanoTime();
        int[] done = {0};
        err.printf("sali segment: model: %s%n", ShippedModel.describe(model.resolvedWeights()));
        err.flush();
        try (DjlSaliStages stages = model.open()) {
            err.printf("sali segment: %d frames from %s with %s%n", frames.size(), input, stages.config());
            err.flush();
            ProcedureRunner runner = new ProcedureRunner(stages);
            // Every frame of a clip has the first frame's size (checked below), so maps are written at it.
            RgbImage first = null;
            for (int i = 0; i < frames.size(); i++) {
                RgbImage img = FrameDecoder.read(frames.get(i));
                if (first == null) {
                    first = img;
                } else if (img.width() != first.width() || img.height() != first.height()) {
                    throw new IllegalArgumentException(frames.get(i) + ": frame is " + img.width() + "x"
                            + img.height() + " but the clip's first frame "
                            + frames.get(0).getFileName() + " is "
                            + first.width() + "x" + first.height() + " (all frames of one procedure must have"
                            + " one size)");
                }
                runner.accept(i, img, sink(frames, first, done, start, err));
            }
            runner.finish(sink(frames, first, done, start, err));
        }
        err.printf("sali segment: wrote %d maps to %s%n", done[0], out);
        err.flush();
        return 0;
    }

    /** Writes each segmented frame and shows progress every 10 frames. */
    private ProcedureRunner.Sink sink(List<Path> frames, RgbImage size, int[] done, long start, PrintWriter err) {
        return (index, result) -> {
            write(frames.get((int) index), result, size.width(), size.height());
            done[0]++;
            if (done[0] % 10 == 0 || done[0] == frames.size()) {
                double s = (System.nanoTime() - start) / 1e9;
                err.printf("  %d/%d frames, %.2f frames/s%n", done[0], frames.size(), done[0] / s);
                err.flush();
            }
        };
    }

    private void write(Path frame, SegmentResult result, int width, int height) throws IOException {
        String name = frame.getFileName().toString();
        String stem = name.substring(0, name.lastIndexOf('.'));
        FrameMask mask = FrameMask.fromLogits(result.logits(), result.size(), width, height);
        writeGrey(out.resolve(stem + ".png"), mask.normalized8(), width, height);
        if (saveLogits) {
            Npy.write(
                    out.resolve("logits").resolve(stem + ".npy"),
                    NpyArray.ofFloats(result.logits(), 1, 1, result.size(), result.size()));
        }
    }

    /** Writes an 8-bit greyscale PNG. */
    static void writeGrey(Path file, byte[] grey, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(grey, 0, data, 0, grey.length);
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    /** The image files of a folder in name order, as the published loader sorts them. */
    static List<Path> frames(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + (Files.exists(dir) ? ": not a folder" : ": no such folder"));
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return Files.isRegularFile(p)
                                && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
                    })
                    .sorted()
                    .toList();
        }
    }
}
