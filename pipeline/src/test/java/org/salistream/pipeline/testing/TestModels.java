package org.salistream.pipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.stage.DjlSaliStages;

/**
 * A small real SALI model for pipeline tests: PVTv2-B0 at 256x256 (the smallest size whose 1/32 map
 * survives the non-local block's 8x8 pooling), randomly initialised once and saved as a native checkpoint
 * so that the streaming job and the offline reference run the very same weights.
 */
public final class TestModels {

    /** The test model's settings (memory written every 2 frames, 3 frames long, so eviction happens). */
    public static final ModelConfig CONFIG =
            ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256).withMemory(2, 3, 20);

    private static Path checkpoint;

    private TestModels() {}

    /** The saved checkpoint folder (created on first use, deleted with the JVM's temp files). */
    public static synchronized Path checkpoint() {
        if (checkpoint == null) {
            try {
                Path dir = Files.createTempDirectory("sali-test-model");
                // Fixed weights across runs: a test's numbers must not depend on the run.
                ai.djl.engine.Engine.getInstance().setRandomSeed(20241125);
                try (DjlSaliStages s = SaliModelLoader.untrained(CONFIG)) {
                    NativeCheckpoint.write(dir, s.network(), CONFIG, Map.of("source", "random init for tests"));
                }
                dir.toFile().deleteOnExit();
                checkpoint = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return checkpoint;
    }

    /** Pipeline configuration keys for the test model. */
    public static Map<String, String> modelKeys() {
        Map<String, String> m = new java.util.HashMap<>(CONFIG.toKeys());
        m.put("model.weights", checkpoint().toString());
        return m;
    }

    /** A deterministic colourful frame (smooth blobs on noise) of the given size. */
    public static byte[] frameRgb(long seed, int w, int h) {
        Random r = new Random(seed);
        double cx = w * (0.3 + 0.4 * r.nextDouble());
        double cy = h * (0.3 + 0.4 * r.nextDouble());
        double rad = Math.min(w, h) * (0.1 + 0.1 * r.nextDouble());
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x - cx, y - cy) / rad;
                double blob = Math.exp(-d * d);
                int o = 3 * (y * w + x);
                out[o] = (byte) Math.min(255, 120 + 100 * blob + r.nextInt(20));
                out[o + 1] = (byte) Math.min(255, 60 + 40 * blob + r.nextInt(20));
                out[o + 2] = (byte) Math.min(255, 50 + 30 * (1 - blob) + r.nextInt(20));
            }
        }
        return out;
    }
}
