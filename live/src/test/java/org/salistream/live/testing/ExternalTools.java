package org.salistream.live.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs some tests drive (Debian's {@code ffmpeg}, {@code chromium}, {@code chromedriver}). Missing, the
 * test is skipped with a message naming the program; with {@code SALI_REQUIRE_TOOLS=1} (what {@code .ci/run}
 * sets, after installing them) it fails instead, so that CI never passes by skipping.
 */
public final class ExternalTools {

    private ExternalTools() {}

    /** The program on the PATH, or a skip (a failure under {@code SALI_REQUIRE_TOOLS=1}) naming it. */
    public static Path require(String program, String debianPackage) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            String message = program + " is not installed (Debian package " + debianPackage + "; .ci/run installs it)";
            if ("1".equals(System.getenv("SALI_REQUIRE_TOOLS"))) {
                fail(message + " and SALI_REQUIRE_TOOLS=1");
            }
            Assumptions.abort(message + ": skipped");
        }
        return found.get();
    }

    /** The program on the PATH. */
    public static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
