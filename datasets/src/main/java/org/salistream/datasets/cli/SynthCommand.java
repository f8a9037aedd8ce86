package org.salistream.datasets.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.salistream.datasets.synth.Degradation;
import org.salistream.datasets.synth.SunSegWriter;
import org.salistream.datasets.synth.SynthOptions;
import org.salistream.datasets.synth.SyntheticCase;
import org.salistream.datasets.synth.SyntheticProcedureGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sali synth}: synthetic colonoscopy procedures with exact polyp masks, in SUN-SEG's layout
 * ({@code <out>/<split>/Frame/<case>/*.jpg}, {@code GT/<case>/*.png}, {@code Meta/<case>.tsv}, optional
 * {@code Video/<case>.mp4}).
 */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Make synthetic colonoscopy procedures (frames + exact polyp masks) in SUN-SEG layout:",
            "<out>/<split>/Frame/<case>/*.jpg, GT/<case>/*.png, Meta/<case>.tsv and, with --video, Video/<case>.mp4.",
            "Deterministic for a given seed and options."
        })
public final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output root.")
    Path out;

    @Option(
            names = "--split",
            defaultValue = "Synth",
            paramLabel = "NAME",
            description = "Split folder under the output root (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--cases", defaultValue = "4", paramLabel = "N", description = "Cases (default: ${DEFAULT-VALUE}).")
    int cases;

    @Option(
            names = "--frames",
            defaultValue = "60",
            paramLabel = "M",
            description = "Frames per case, at least 3 (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--seed",
            defaultValue = "1",
            paramLabel = "S",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--size",
            defaultValue = "352x352",
            paramLabel = "WxH",
            description = "Frame size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(
            names = "--polyps",
            defaultValue = "0-3",
            paramLabel = "MIN-MAX",
            description = "Polyps per case, within 0-3 (default: ${DEFAULT-VALUE}).")
    String polyps;

    @Option(
            names = "--degradations",
            defaultValue = "all",
            paramLabel = "LIST",
            description = "Low-quality segment kinds: all, none, or a comma list of motion_blur, defocus, "
                    + "over_exposure, bubbles, out_of_view (default: ${DEFAULT-VALUE}).")
    String degradations;

    @Option(
            names = "--segments",
            defaultValue = "1",
            paramLabel = "K",
            description = "Segments of each low-quality kind per case (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--video", description = "Also write an mp4 per case (H.264 via OpenH264, else MPEG-4).")
    boolean video;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outw = spec.commandLine().getOut();
        if (cases < 1) {
            throw new ParameterException(spec.commandLine(), "--cases must be at least 1");
        }
        SynthOptions options;
        try {
            int[] wh = parsePair(size, "x", "--size");
            int[] mm = parsePair(polyps, "-", "--polyps");
            options = SynthOptions.builder()
                    .size(wh[0], wh[1])
                    .frames(frames)
                    .polyps(mm[0], mm[1])
                    .degradations(parseKinds(degradations))
                    .segmentsPerKind(segments)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SyntheticProcedureGenerator gen = new SyntheticProcedureGenerator(options, seed);
        SunSegWriter writer = new SunSegWriter(out.resolve(split));
        long start = System.nanoTime();
        String codec = null;
        for (int n = 1; n <= cases; n++) {
            SyntheticCase c = gen.generateCase(n);
            err.printf(
                    Locale.ROOT,
                    "synth: %s (%d/%d): %d polyp(s)%n",
                    c.id(),
                    n,
                    cases,
                    c.polyps().size());
            err.flush();
            String used = writer.write(c, video, line -> {
                err.println("synth: " + line);
                err.flush();
            });
            codec = used != null ? used : codec;
        }
        double s = (System.nanoTime() - start) / 1e9;
        outw.printf(
                Locale.ROOT,
                "wrote %d case(s) x %d frames (%dx%d) to %s in %.1f s (%.0f frames/s)%s%n",
                cases,
                frames,
                options.width(),
                options.height(),
                writer.splitRoot(),
                s,
                cases * (double) frames / s,
                codec != null ? "; videos: " + codec : "");
        outw.flush();
        return 0;
    }

    private static int[] parsePair(String text, String sep, String option) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(java.util.regex.Pattern.quote(sep));
        try {
            if (parts.length == 1 && sep.equals("-")) {
                int v = Integer.parseInt(parts[0]);
                return new int[] {v, v};
            }
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects A" + sep + "B (numbers), got '" + text + "'");
        }
    }

    static Set<Degradation> parseKinds(String list) {
        String t = list.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return EnumSet.allOf(Degradation.class);
        }
        Set<Degradation> out = EnumSet.noneOf(Degradation.class);
        if (t.equals("none") || t.isEmpty()) {
            return out;
        }
        for (String part : t.split(",")) {
            String name = part.trim().replace('-', '_').toUpperCase(Locale.ROOT);
            try {
                out.add(Degradation.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown low-quality kind '" + part.trim()
                        + "'; valid: motion_blur, defocus, over_exposure, bubbles, out_of_view, all, none");
            }
        }
        return out;
    }
}
