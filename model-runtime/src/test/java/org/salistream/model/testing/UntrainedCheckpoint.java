package org.salistream.model.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.stage.DjlSaliStages;

/**
 * A native checkpoint of an untrained PVTv2-B0 SALI network at 256x256, written once per test JVM into a
 * temporary folder (removed at exit): weights for tests of commands and checkpoint handling that do not
 * need the golden data. Tests that tamper with it work on a {@link #copyTo copy}.
 */
public final class UntrainedCheckpoint {

    /** The configuration it was written with. */
    public static final ModelConfig CONFIG =
            ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256);

    private static Path folder;

    private UntrainedCheckpoint() {}

    /** The checkpoint folder (model.json + model.params); do not modify it. */
    public static synchronized Path folder() {
        if (folder == null) {
            try {
                Path dir = Files.createTempDirectory("sali-untrained-b0-");
                try (DjlSaliStages stages = SaliModelLoader.untrained(CONFIG)) {
                    NativeCheckpoint.write(dir, stages.network(), CONFIG, Map.of("source", "untrained, for tests"));
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                folder = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }

    /** A copy of the checkpoint in {@code target} (created), to tamper with. */
    public static Path copyTo(Path target) throws IOException {
        Files.createDirectories(target);
        for (String f : new String[] {NativeCheckpoint.METADATA, NativeCheckpoint.PARAMS}) {
            Files.copy(folder().resolve(f), target.resolve(f));
        }
        return target;
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary folder
        }
    }
}
