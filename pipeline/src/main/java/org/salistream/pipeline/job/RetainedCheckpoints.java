package org.salistream.pipeline.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints a job left in its {@code checkpoint.dir}: Flink writes each job's under
 * {@code <dir>/<job id>/chk-<n>/}, and a checkpoint is complete once its {@code _metadata} file exists. The
 * job keeps them when it is cancelled or fails (and a killed process cannot delete them), so that the next
 * start of {@code sali run} can resume from the newest one.
 */
public final class RetainedCheckpoints {

    private static final Pattern CHECKPOINT = Pattern.compile("chk-\\d+");

    private RetainedCheckpoints() {}

    /** The newest complete checkpoint under {@code checkpointDir}, if any (by the time its metadata was written). */
    public static Optional<Path> latest(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(checkpointDir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(RetainedCheckpoints::checkpointsOf)
                    .filter(c -> Files.isRegularFile(c.resolve("_metadata")))
                    .max(Comparator.comparing(c -> modified(c.resolve("_metadata"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + checkpointDir, e);
        }
    }

    private static Stream<Path> checkpointsOf(Path jobDir) {
        try (Stream<Path> s = Files.list(jobDir)) {
            return s.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches()).toList().stream();
        } catch (IOException e) {
            return Stream.empty(); // a job folder being deleted meanwhile
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
