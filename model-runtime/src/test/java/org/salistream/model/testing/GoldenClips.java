package org.salistream.model.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.salistream.model.ModelConfig;
import org.salistream.model.NeighborMode;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.RgbImage;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.ops.testing.Golden;

/**
 * The golden SALI clips ({@code sali-b0-352}, {@code sali-b0-256-evict}: weights, frames, config.json) as
 * test inputs, and a stand-in clip of synthetic frames for where the golden data is absent.
 */
public final class GoldenClips {

    /** The smaller golden clip (256x256, 10 frames, mem_freq 2, mem_length 3: eviction happens). */
    public static final String EVICT = "sali-b0-256-evict";
    /** The clip at the published size (352x352, 7 frames, published memory settings). */
    public static final String PUBLISHED = "sali-b0-352";

    private GoldenClips() {}

    /**
     * Whether a golden clip folder is present (weights included). {@code -Dsali.test.noGolden=true} answers
     * false, to run the fallbacks that a clone without golden data runs.
     */
    public static boolean present(String folder) {
        Path root = Golden.rootOrNull();
        return !Boolean.getBoolean("sali.test.noGolden")
                && root != null
                && Files.isRegularFile(root.resolve(folder).resolve("weights.pth"));
    }

    /** The model settings of a golden clip folder, from its config.json. */
    public static ModelConfig config(Path dir) throws IOException {
        JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        return ModelConfig.published()
                .withBackbone(PvtV2Config.named(cfg.get("backbone").asText()))
                .withSize(cfg.get("size").asInt())
                .withMemory(
                        cfg.get("mem_freq").asInt(),
                        cfg.get("mem_length").asInt(),
                        cfg.get("top_k").asInt())
                .withNeighbor(NeighborMode.NEXT);
    }

    /** The frame files of a golden clip folder, in name order. */
    public static List<Path> framePaths(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("frames"))) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    /** The decoded frames of a golden clip folder. */
    public static List<RgbImage> frames(Path dir) throws IOException {
        List<RgbImage> out = new ArrayList<>();
        for (Path p : framePaths(dir)) {
            out.add(FrameDecoder.read(p));
        }
        return out;
    }

    /**
     * Synthetic frames: smooth colour gradients with noise, moving a little from frame to frame, so that
     * consecutive frames are similar as in a video (what the memory and the alignment expect).
     */
    public static List<RgbImage> synthetic(int count, int width, int height, long seed) {
        Random r = new Random(seed);
        List<RgbImage> out = new ArrayList<>(count);
        double cx = width * 0.4;
        double cy = height * 0.5;
        for (int f = 0; f < count; f++) {
            byte[] rgb = new byte[3 * width * height];
            cx += r.nextGaussian() * 2;
            cy += r.nextGaussian() * 2;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double d = Math.hypot(x - cx, y - cy) / Math.max(width, height);
                    int o = 3 * (y * width + x);
                    rgb[o] = (byte) clamp(200 - 150 * d + r.nextGaussian() * 8);
                    rgb[o + 1] = (byte) clamp(90 + 100 * (double) y / height + r.nextGaussian() * 8);
                    rgb[o + 2] = (byte) clamp(60 + 80 * (double) x / width + r.nextGaussian() * 8);
                }
            }
            out.add(new RgbImage(width, height, rgb));
        }
        return out;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
