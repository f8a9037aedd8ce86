package org.salistream.datasets.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.SunSegFrame;
import org.salistream.datasets.SunSegLayout;

/**
 * What is in one frame, for the detection metrics and the per-kind scores: which polyps are visible (by id)
 * and which low-quality effects are on it. Read from the synthetic generator's {@code Meta/<case>.tsv} where
 * there is one (polyp ids, effect kinds); else from the masks, where any foreground pixel means "a polyp"
 * (one id, 0, for all) and no effect is known.
 *
 * @param index the frame's position in the case (0-based, name order)
 * @param polyps ids of the visible polyps
 * @param degradations the low-quality kinds on the frame, lower case ({@code motion_blur}, ...)
 */
public record FrameTruth(int index, Set<Integer> polyps, Set<String> degradations) {

    /** Defensive copies. */
    public FrameTruth {
        polyps = Set.copyOf(polyps);
        degradations = Set.copyOf(degradations);
    }

    /** Whether any polyp is visible. */
    public boolean polypVisible() {
        return !polyps.isEmpty();
    }

    /**
     * The frames of one case of a split, in order.
     *
     * @throws IOException when the metadata or a mask cannot be read
     * @throws IllegalArgumentException when the metadata is malformed
     */
    public static List<FrameTruth> read(SunSegLayout layout, String caseId) throws IOException {
        Path meta = layout.splitRoot().resolve("Meta").resolve(caseId + ".tsv");
        if (Files.isRegularFile(meta)) {
            return parseMeta(meta, Files.readAllLines(meta));
        }
        List<FrameTruth> out = new ArrayList<>();
        for (SunSegFrame f : layout.frames(caseId)) {
            GrayImage m = f.readMask().orElseThrow(() -> new IOException(f.mask() + ": no ground-truth mask"));
            boolean any = false;
            for (byte b : m.pixels()) {
                if ((b & 0xFF) > 128) {
                    any = true;
                    break;
                }
            }
            out.add(new FrameTruth(out.size(), any ? Set.of(0) : Set.of(), Set.of()));
        }
        return out;
    }

    /** Parses {@code frame name polyp_visible polyp_pixels boxes degradations} rows (tab-separated). */
    static List<FrameTruth> parseMeta(Path file, List<String> lines) {
        List<FrameTruth> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 6) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " has " + f.length
                        + " fields, expected 6 (frame, name, polyp_visible, polyp_pixels, boxes, degradations)");
            }
            Set<Integer> ids = new LinkedHashSet<>();
            if (!f[4].equals("-")) {
                for (String box : f[4].split(";")) {
                    ids.add(Integer.parseInt(box.substring(0, box.indexOf(':'))));
                }
            }
            Set<String> kinds = new LinkedHashSet<>();
            if (!f[5].equals("-")) {
                kinds.addAll(List.of(f[5].split(",")));
            }
            out.add(new FrameTruth(out.size(), ids, kinds));
        }
        return out;
    }
}
