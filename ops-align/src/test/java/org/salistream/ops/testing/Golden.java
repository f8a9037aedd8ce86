package org.salistream.ops.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.salistream.ops.io.Npy;
import org.salistream.ops.io.NpyArray;

/**
 * Locates the golden reference data ({@code ../shared/golden/} beside the project checkout, or the folder
 * named by the system property {@code sali.golden.dir}) and skips a test, saying so, when it is absent: a
 * user's clone has no {@code shared/} folder. The files are read in place, never copied.
 */
public final class Golden {

    /** The system property that points at the golden folder. */
    public static final String PROPERTY = "sali.golden.dir";

    private static final Map<Path, Map<String, NpyArray>> NPZ_CACHE = new ConcurrentHashMap<>();

    private Golden() {}

    /** The golden folder, or null where it cannot be found. */
    public static Path rootOrNull() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured).toAbsolutePath().normalize();
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        // Walk up from the working directory (a module folder under Maven) to the checkout, then beside it.
        Path dir = Paths.get("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("golden");
            if (Files.isDirectory(candidate)) {
                return candidate.normalize();
            }
        }
        return null;
    }

    /**
     * A path inside the golden folder; the calling test is skipped (JUnit assumption) when the folder or
     * the file is absent.
     */
    public static Path require(String relative) {
        Path root = rootOrNull();
        assumeTrue(
                root != null,
                "golden reference data not found (../shared/golden or -D" + PROPERTY + "): parity test skipped");
        Path p = root.resolve(relative);
        assumeTrue(Files.exists(p), "golden file " + p + " absent: parity test skipped");
        return p;
    }

    /** Every array of a golden {@code .npz} file, read once per JVM. */
    public static Map<String, NpyArray> npz(String relative) {
        Path p = require(relative);
        return NPZ_CACHE.computeIfAbsent(p, path -> {
            try {
                return Npy.readNpz(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
