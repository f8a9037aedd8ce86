package org.salistream.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A split of the SUN-SEG dataset (Ji et al., "Video Polyp Segmentation: A Deep Learning Perspective",
 * MIR 2022) on disk: {@code <root>/<split>/Frame/<case>/*.jpg} and {@code <root>/<split>/GT/<case>/*.png}.
 *
 * <p>Frames and masks are each sorted as the published SALI loader sorts them ({@code sorted(glob(...))}:
 * plain lexicographic order of the file names) and paired by position, as it does; unlike it, a count
 * or name mismatch between a case's frames and masks is an error here, naming the first difference.
 * Cases are listed in natural order ({@code case2} before {@code case10}); the loader's
 * {@code os.listdir} order is unspecified.
 */
public final class SunSegLayout {

    private final Path splitRoot;

    private SunSegLayout(Path splitRoot) {
        this.splitRoot = splitRoot;
    }

    /** The split {@code <root>/<split>}; an error when it has no {@code Frame} folder. */
    public static SunSegLayout open(Path root, String split) {
        return ofSplitRoot(root.resolve(split));
    }

    /** The split whose folder holds {@code Frame/} (and usually {@code GT/}). */
    public static SunSegLayout ofSplitRoot(Path splitRoot) {
        if (!Files.isDirectory(splitRoot.resolve("Frame"))) {
            throw new IllegalArgumentException("not a SUN-SEG split: " + splitRoot
                    + " has no Frame/ folder (expected <root>/<split>/Frame/<case>/*.jpg and GT/<case>/*.png)");
        }
        return new SunSegLayout(splitRoot);
    }

    public Path splitRoot() {
        return splitRoot;
    }

    /** True when the split has a {@code GT} folder. */
    public boolean hasGroundTruth() {
        return Files.isDirectory(splitRoot.resolve("GT"));
    }

    public Path frameDir(String caseId) {
        return splitRoot.resolve("Frame").resolve(caseId);
    }

    public Path gtDir(String caseId) {
        return splitRoot.resolve("GT").resolve(caseId);
    }

    /** The case folders under {@code Frame/}, in natural order. */
    public List<String> cases() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(splitRoot.resolve("Frame"))) {
            s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .forEach(out::add);
        }
        out.sort(NaturalOrder.INSTANCE);
        return out;
    }

    /**
     * The frames of a case, in the loader's order, each with its mask when the split has ground truth.
     *
     * @throws IllegalArgumentException the case does not exist, has no frame, or its masks do not match
     *                                  its frames one to one
     */
    public List<SunSegFrame> frames(String caseId) throws IOException {
        Path frameDir = frameDir(caseId);
        if (!Files.isDirectory(frameDir)) {
            throw new IllegalArgumentException("no case '" + caseId + "' in " + splitRoot.resolve("Frame"));
        }
        List<String> images = listSorted(frameDir, ".jpg");
        if (images.isEmpty()) {
            images = listSorted(frameDir, ".png"); // frames stored losslessly
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("case " + caseId + " has no .jpg frame in " + frameDir);
        }
        List<String> masks = null;
        if (hasGroundTruth()) {
            Path gt = gtDir(caseId);
            if (!Files.isDirectory(gt)) {
                throw new IllegalArgumentException("case " + caseId + " has frames but no mask folder " + gt);
            }
            masks = listSorted(gt, ".png");
            if (masks.size() != images.size()) {
                throw new IllegalArgumentException("case " + caseId + ": " + images.size() + " frames but "
                        + masks.size() + " masks" + firstDifference(images, masks));
            }
        }
        List<SunSegFrame> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            String stem = stem(images.get(i));
            Path mask = null;
            if (masks != null) {
                if (!stem.equals(stem(masks.get(i)))) {
                    throw new IllegalArgumentException("case " + caseId + ": frame " + images.get(i)
                            + " is paired with mask " + masks.get(i) + " (position " + i
                            + "); every frame needs a mask of the same name");
                }
                mask = gtDir(caseId).resolve(masks.get(i));
            }
            out.add(new SunSegFrame(caseId, i, stem, frameDir.resolve(images.get(i)), mask));
        }
        return out;
    }

    private static String firstDifference(List<String> images, List<String> masks) {
        List<String> a = images.stream().map(SunSegLayout::stem).toList();
        List<String> b = masks.stream().map(SunSegLayout::stem).toList();
        for (String s : a) {
            if (!b.contains(s)) {
                return "; no mask for frame " + s;
            }
        }
        for (String s : b) {
            if (!a.contains(s)) {
                return "; no frame for mask " + s;
            }
        }
        return "";
    }

    static List<String> listSorted(Path dir, String extension) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n ->
                            !n.startsWith(".") && n.toLowerCase(Locale.ROOT).endsWith(extension))
                    .forEach(out::add);
        }
        out.sort(Comparator.naturalOrder()); // Python sorted(): code-point order
        return out;
    }

    static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
