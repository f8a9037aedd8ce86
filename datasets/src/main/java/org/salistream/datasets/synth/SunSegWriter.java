package org.salistream.datasets.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.salistream.datasets.ImageFiles;

/**
 * Writes synthetic cases in SUN-SEG's layout under a split folder: {@code Frame/<case>/<name>.jpg}
 * (JPEG quality 95), {@code GT/<case>/<name>.png} (0/255), plus {@code Meta/<case>.tsv} (per-frame truth)
 * and, on request, {@code Video/<case>.mp4}.
 *
 * <p>Names follow SUN-SEG's pattern, {@code case<N>/case<N>_a<N>_synth_image<NNNN>}: zero-padded so that
 * plain lexicographic order (the SALI loader's {@code sorted(glob)}) is frame order, and parseable by the
 * evaluation toolbox's SUN-SEG sort key ({@code caseN}, {@code _a<N>_}, {@code _image<N>}).
 */
public final class SunSegWriter {

    private final Path splitRoot;

    /** @param splitRoot the split folder (created as needed), e.g. {@code out/Synth} */
    public SunSegWriter(Path splitRoot) {
        this.splitRoot = splitRoot;
    }

    public Path splitRoot() {
        return splitRoot;
    }

    /** The file name (without extension) of a frame. */
    public static String frameName(SyntheticCase c, int frame) {
        int digits = Math.max(4, String.valueOf(c.frameCount()).length());
        return String.format(Locale.ROOT, "%s_a%d_synth_image%0" + digits + "d", c.id(), c.number(), frame + 1);
    }

    /**
     * Renders and writes every frame of a case.
     *
     * @param video    also write {@code Video/<case>.mp4} (25 fps)
     * @param progress receives a line now and then
     * @return the video codec used, or null without video
     */
    public String write(SyntheticCase c, boolean video, Consumer<String> progress) throws IOException {
        Path frames = Files.createDirectories(splitRoot.resolve("Frame").resolve(c.id()));
        Path masks = Files.createDirectories(splitRoot.resolve("GT").resolve(c.id()));
        Path meta = Files.createDirectories(splitRoot.resolve("Meta"));
        String[] rows = new String[c.frameCount()];
        long start = System.nanoTime();
        int step = Math.max(25, c.frameCount() / 4);
        String codec = null;
        if (video) {
            Path dir = Files.createDirectories(splitRoot.resolve("Video"));
            try (Mp4Writer mp4 = new Mp4Writer(
                    dir.resolve(c.id() + ".mp4"),
                    c.options().width(),
                    c.options().height(),
                    25)) {
                codec = mp4.codec();
                for (int i = 0; i < c.frameCount(); i++) {
                    SyntheticFrame f = c.render(i);
                    rows[i] = store(c, f, frames, masks);
                    mp4.write(f.image());
                    report(progress, c, i + 1, step, start);
                }
            }
        } else {
            int[] done = {0};
            IntStream.range(0, c.frameCount()).parallel().forEach(i -> {
                try {
                    rows[i] = store(c, c.render(i), frames, masks);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                int n;
                synchronized (done) {
                    n = ++done[0];
                }
                report(progress, c, n, step, start);
            });
        }
        StringBuilder tsv = new StringBuilder("frame\tname\tpolyp_visible\tpolyp_pixels\tboxes\tdegradations\n");
        for (String r : rows) {
            tsv.append(r).append('\n');
        }
        Files.writeString(meta.resolve(c.id() + ".tsv"), tsv.toString(), StandardCharsets.UTF_8);
        return codec;
    }

    private static void report(Consumer<String> progress, SyntheticCase c, int n, int step, long start) {
        if (n % step == 0 || n == c.frameCount()) {
            double s = (System.nanoTime() - start) / 1e9;
            progress.accept(String.format(
                    Locale.ROOT, "%s: %d/%d frames (%.0f frames/s)", c.id(), n, c.frameCount(), n / Math.max(s, 1e-9)));
        }
    }

    private static String store(SyntheticCase c, SyntheticFrame f, Path frames, Path masks) throws IOException {
        String name = frameName(c, f.index());
        ImageFiles.writeJpeg(frames.resolve(name + ".jpg"), f.image(), ImageFiles.FRAME_JPEG_QUALITY);
        ImageFiles.writePng(masks.resolve(name + ".png"), f.mask().toBufferedImage());
        StringBuilder boxes = new StringBuilder();
        for (PolypView v : f.info().polyps()) {
            if (v.visible()) {
                boxes.append(boxes.length() > 0 ? ";" : "")
                        .append(v.polypId())
                        .append(':')
                        .append(v.minX())
                        .append(',')
                        .append(v.minY())
                        .append(',')
                        .append(v.maxX())
                        .append(',')
                        .append(v.maxY());
            }
        }
        StringBuilder kinds = new StringBuilder();
        if (!f.info().degradations().isEmpty()) {
            for (Degradation d : EnumSet.copyOf(f.info().degradations())) {
                kinds.append(kinds.length() > 0 ? "," : "").append(d.name().toLowerCase(Locale.ROOT));
            }
        }
        return f.index() + "\t" + name + "\t" + (f.info().polypVisible() ? 1 : 0) + "\t"
                + f.info().polypPixels() + "\t" + (boxes.length() > 0 ? boxes : "-") + "\t"
                + (kinds.length() > 0 ? kinds : "-");
    }
}
