package org.salistream.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * A recorded colonoscopy procedure, as replay and the demo feed it: a SUN-SEG case
 * ({@code <split>/Frame/<case>} with masks from {@code <split>/GT/<case>}), a plain folder of images
 * (optionally with a mask folder), or a video file decoded with JavaCV/FFmpeg (optionally with a mask
 * folder whose PNGs, sorted by name, pair with the video's frames in order).
 *
 * <p>{@link #frames()} streams the frames from the start each time it is called; close the stream (try
 * with resources) to release a video decoder early.
 */
public abstract class RecordedProcedure {

    private static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    RecordedProcedure() {}

    /** The procedure's identifier (case folder, image folder or video file name without extension). */
    public abstract String id();

    /** The number of frames where it is known without decoding (exact for folders, FFmpeg's estimate for video). */
    public abstract OptionalInt frameCount();

    /** The frames in order; the stream must be closed. */
    public abstract Stream<RecordedFrame> frames() throws IOException;

    /**
     * Opens a path: a video file; a folder with a {@code Frame/} subfolder holding exactly one case; a
     * case folder inside a SUN-SEG split ({@code .../Frame/<case>}, masks taken from {@code .../GT/<case>}
     * when present); or a plain folder of {@code .jpg/.jpeg/.png} images.
     */
    public static RecordedProcedure open(Path path) throws IOException {
        return open(path, null);
    }

    /**
     * As {@link #open(Path)}, with masks from {@code maskDir} ({@code *.png}, sorted by name, one per frame;
     * for image folders matched by file name).
     */
    public static RecordedProcedure open(Path path, Path maskDir) throws IOException {
        if (Files.isRegularFile(path)) {
            if (isImage(path.getFileName().toString())) {
                throw new IllegalArgumentException(
                        path + " is a single image; a procedure is a folder of frames" + " or a video file");
            }
            return new VideoProcedure(path, maskDir);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("no such procedure: " + path);
        }
        if (Files.isDirectory(path.resolve("Frame"))) {
            SunSegLayout layout = SunSegLayout.ofSplitRoot(path);
            List<String> cases = layout.cases();
            if (cases.size() != 1) {
                throw new IllegalArgumentException(path + " holds " + cases.size() + " cases " + cases + "; name one: "
                        + path.resolve("Frame").resolve(cases.isEmpty() ? "<case>" : cases.get(0)));
            }
            return ofSunSegCase(layout, cases.get(0));
        }
        Path parent = path.toAbsolutePath().normalize().getParent();
        if (maskDir == null
                && parent != null
                && parent.getFileName() != null
                && parent.getFileName().toString().equals("Frame")
                && parent.getParent() != null) {
            SunSegLayout layout = SunSegLayout.ofSplitRoot(parent.getParent());
            return ofSunSegCase(layout, path.getFileName().toString());
        }
        return FolderProcedure.ofImageFolder(path, maskDir);
    }

    /** One case of a SUN-SEG split, with its masks when the split has ground truth. */
    public static RecordedProcedure ofSunSegCase(SunSegLayout layout, String caseId) throws IOException {
        return FolderProcedure.ofSunSeg(layout, caseId);
    }

    static boolean isImage(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    static String contentType(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".png") ? RecordedFrame.PNG : RecordedFrame.JPEG;
    }
}
