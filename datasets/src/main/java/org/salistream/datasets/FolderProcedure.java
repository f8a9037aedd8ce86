package org.salistream.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.salistream.codec.ImageDecoding;

/** A procedure stored as image files (a SUN-SEG case or a plain folder), frames sent as stored. */
final class FolderProcedure extends RecordedProcedure {

    private final String id;
    private final List<Path> images;
    private final List<Path> masks; // null entries: no mask

    private FolderProcedure(String id, List<Path> images, List<Path> masks) {
        this.id = id;
        this.images = images;
        this.masks = masks;
    }

    static FolderProcedure ofSunSeg(SunSegLayout layout, String caseId) throws IOException {
        List<Path> images = new ArrayList<>();
        List<Path> masks = new ArrayList<>();
        for (SunSegFrame f : layout.frames(caseId)) {
            images.add(f.image());
            masks.add(f.mask());
        }
        return new FolderProcedure(caseId, images, masks);
    }

    static FolderProcedure ofImageFolder(Path dir, Path maskDir) throws IOException {
        List<Path> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && isImage(n))
                    .sorted()
                    .forEach(names::add);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no .jpg/.jpeg/.png frame in " + dir);
        }
        List<Path> masks = new ArrayList<>();
        for (String n : names) {
            images.add(dir.resolve(n));
            if (maskDir == null) {
                masks.add(null);
            } else {
                Path m = maskDir.resolve(SunSegLayout.stem(n) + ".png");
                if (!Files.isRegularFile(m)) {
                    throw new IllegalArgumentException("frame " + n + " has no mask " + m);
                }
                masks.add(m);
            }
        }
        return new FolderProcedure(dir.getFileName().toString(), images, masks);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public OptionalInt frameCount() {
        return OptionalInt.of(images.size());
    }

    @Override
    public Stream<RecordedFrame> frames() {
        return Stream.iterate(0, i -> i < images.size(), i -> i + 1).map(this::load);
    }

    private RecordedFrame load(int i) {
        Path file = images.get(i);
        try {
            byte[] bytes = Files.readAllBytes(file);
            int[] size = ImageDecoding.size(file);
            GrayImage mask = masks.get(i) == null ? null : GrayImage.read(masks.get(i));
            String fileName = file.getFileName().toString();
            return new RecordedFrame(
                    i, SunSegLayout.stem(fileName), bytes, contentType(fileName), size[0], size[1], null, mask);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read frame " + file, e);
        }
    }
}
