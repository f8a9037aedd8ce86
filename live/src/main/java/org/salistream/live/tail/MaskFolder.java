package org.salistream.live.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.salistream.kafka.MaskEnvelope;

/**
 * Writes masks as the PNG files {@code sali eval} (the VPS toolbox) reads:
 * {@code <root>/<model>/<split>/<procedure>/<frame>.png}, the mask PNG exactly as the topic carries it.
 * A frame's file name is the name of the frame at that index in {@code --names-from}'s folder of that
 * procedure (the replayed folder, or its ground truth: the n-th file, sorted by name, is frame n, as
 * {@code sali replay} numbers them), else {@code frame%05d.png} of index + 1 (as recorded videos are named).
 */
public final class MaskFolder {

    private final Path root;
    private final Path namesFrom;
    private final Map<String, List<String>> names = new HashMap<>();

    /**
     * @param root      {@code <out>/<model>/<split>}
     * @param namesFrom a folder holding one sub-folder of frames per procedure, or null
     */
    public MaskFolder(Path root, Path namesFrom) {
        this.root = root;
        this.namesFrom = namesFrom;
    }

    /** Writes one mask; returns its file. */
    public Path write(MaskEnvelope m) throws IOException {
        Path dir = Files.createDirectories(root.resolve(safe(m.procedureId())));
        Path file = dir.resolve(name(m.procedureId(), m.frameIndex()) + ".png");
        Files.write(file, m.maskPng());
        return file;
    }

    private String name(String procedure, long index) throws IOException {
        if (namesFrom != null) {
            List<String> list = names.get(procedure);
            if (list == null) {
                list = listNames(namesFrom.resolve(safe(procedure)));
                names.put(procedure, list);
            }
            if (index < list.size()) {
                return list.get((int) index);
            }
        }
        return String.format(Locale.ROOT, "frame%05d", index + 1);
    }

    private static List<String> listNames(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("--names-from: no folder " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n ->
                            !n.startsWith(".") && n.toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)"))
                    .sorted()
                    .forEach(n -> out.add(n.substring(0, n.lastIndexOf('.'))));
        }
        return out;
    }

    /** A procedure id as one path element: no separators, no "." or "..". */
    private static String safe(String procedure) {
        String s = procedure.replace('/', '_').replace('\\', '_');
        return s.equals(".") || s.equals("..") ? "_" + s : s;
    }
}
