package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the checkpoint to resume from in Flink's layout: the newest complete one of any job. */
class RetainedCheckpointsTest {

    private static Path checkpoint(Path root, String job, int n, long mtime, boolean complete) throws Exception {
        Path c = Files.createDirectories(root.resolve(job).resolve("chk-" + n));
        Files.createDirectories(root.resolve(job).resolve("shared"));
        if (complete) {
            Path m = Files.writeString(c.resolve("_metadata"), "x");
            Files.setLastModifiedTime(m, FileTime.fromMillis(mtime));
        }
        return c;
    }

    @Test
    void theNewestCompleteCheckpointOfAnyJobIsChosen(@TempDir Path root) throws Exception {
        checkpoint(root, "job-old", 7, 1_000, true);
        Path newest = checkpoint(root, "job-new", 2, 5_000, true);
        checkpoint(root, "job-new", 3, 9_000, false); // being written when the process died: no metadata
        assertEquals(Optional.of(newest), RetainedCheckpoints.latest(root));
    }

    @Test
    void aMissingOrEmptyFolderHasNone(@TempDir Path root) throws Exception {
        assertTrue(RetainedCheckpoints.latest(root.resolve("absent")).isEmpty());
        Files.createDirectories(root.resolve("job").resolve("chk-1"));
        assertTrue(RetainedCheckpoints.latest(root).isEmpty());
    }
}
