package org.salistream.model;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.salistream.model.pvt.PvtV2Config;

/**
 * The settings of a SALI model at run time, immutable. Defaults are the published ones
 * ({@code test_video.py} and {@code MemoryBank}): PVTv2-B5, 352x352, {@code mem_freq} 5, {@code mem_length}
 * 35, {@code top_k} 20, ImageNet mean/std, the next frame as neighbour.
 *
 * <p>Configuration keys (dash-case, under {@code model.}): {@code model.backbone}, {@code model.size},
 * {@code model.memory.freq}, {@code model.memory.length}, {@code model.memory.top-k}, {@code model.neighbor}.
 *
 * @param backbone the PVTv2 configuration
 * @param size the square model input size S (a multiple of 32, at least {@value #MIN_SIZE})
 * @param memFreq every how many frames the memory is written
 * @param memLength frames the memory holds before usage-based removal
 * @param topK affinities kept per query position
 * @param mean per-channel normalisation mean (RGB, on x/255)
 * @param std per-channel normalisation standard deviation
 * @param neighbor which adjacent frame is the short-term neighbour
 */
public record ModelConfig(
        PvtV2Config backbone,
        int size,
        int memFreq,
        int memLength,
        int topK,
        float[] mean,
        float[] std,
        NeighborMode neighbor) {

    /**
     * The smallest model size: the published {@code NonLocalNet}'s {@code nl_layer3} max-pools the 1/32 map
     * with kernel 8, which needs at least 8 positions per side.
     */
    public static final int MIN_SIZE = 256;

    /** ImageNet mean, as {@code transforms.Normalize} in the published loaders. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet standard deviation. */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** Validates. */
    public ModelConfig {
        if (size < MIN_SIZE || size % 32 != 0) {
            throw new IllegalArgumentException("model size must be a multiple of 32 and at least " + MIN_SIZE
                    + " (the encoder downsamples by 32, and SALI's third non-local layer max-pools that 1/32 map"
                    + " by 8), got " + size);
        }
        if (memFreq <= 0 || memLength <= 0 || topK <= 0) {
            throw new IllegalArgumentException(
                    "mem-freq, mem-length and top-k must be positive, got " + memFreq + ", " + memLength + ", " + topK);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need three (RGB) values");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The published settings. */
    public static ModelConfig published() {
        return new ModelConfig(PvtV2Config.B5, 352, 5, 35, 20, IMAGENET_MEAN, IMAGENET_STD, NeighborMode.NEXT);
    }

    /**
     * Settings from dash-case keys ({@code model.size}, ...), each absent key keeping its value in
     * {@code defaults}.
     */
    public static ModelConfig fromKeys(Function<String, String> lookup, ModelConfig defaults) {
        String b = lookup.apply("model.backbone");
        String s = lookup.apply("model.size");
        String f = lookup.apply("model.memory.freq");
        String l = lookup.apply("model.memory.length");
        String k = lookup.apply("model.memory.top-k");
        String n = lookup.apply("model.neighbor");
        return new ModelConfig(
                b == null ? defaults.backbone : PvtV2Config.named(b),
                s == null ? defaults.size : parse("model.size", s),
                f == null ? defaults.memFreq : parse("model.memory.freq", f),
                l == null ? defaults.memLength : parse("model.memory.length", l),
                k == null ? defaults.topK : parse("model.memory.top-k", k),
                defaults.mean,
                defaults.std,
                n == null ? defaults.neighbor : NeighborMode.parse(n));
    }

    /** The settings as dash-case keys. */
    public Map<String, String> toKeys() {
        return Map.of(
                "model.backbone",
                backbone.name(),
                "model.size",
                Integer.toString(size),
                "model.memory.freq",
                Integer.toString(memFreq),
                "model.memory.length",
                Integer.toString(memLength),
                "model.memory.top-k",
                Integer.toString(topK),
                "model.neighbor",
                neighbor.configName());
    }

    private static int parse(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'", e);
        }
    }

    /** A copy with another backbone. */
    public ModelConfig withBackbone(PvtV2Config b) {
        return new ModelConfig(b, size, memFreq, memLength, topK, mean, std, neighbor);
    }

    /** A copy with another size. */
    public ModelConfig withSize(int s) {
        return new ModelConfig(backbone, s, memFreq, memLength, topK, mean, std, neighbor);
    }

    /** A copy with other memory settings. */
    public ModelConfig withMemory(int freq, int length, int k) {
        return new ModelConfig(backbone, size, freq, length, k, mean, std, neighbor);
    }

    /** A copy with another neighbour mode. */
    public ModelConfig withNeighbor(NeighborMode n) {
        return new ModelConfig(backbone, size, memFreq, memLength, topK, mean, std, n);
    }

    /** Positions of one frame at scale i (1/8, 1/16, 1/32 of the size, squared). */
    public int positions(int scale) {
        int side = size / (8 << scale);
        return side * side;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c
                && c.backbone.equals(backbone)
                && c.size == size
                && c.memFreq == memFreq
                && c.memLength == memLength
                && c.topK == topK
                && Arrays.equals(c.mean, mean)
                && Arrays.equals(c.std, std)
                && c.neighbor == neighbor;
    }

    @Override
    public int hashCode() {
        return backbone.hashCode() * 31 + size;
    }

    @Override
    public String toString() {
        return backbone.name() + "@" + size + " mem-freq=" + memFreq + " mem-length=" + memLength + " top-k=" + topK
                + " neighbor=" + neighbor.configName();
    }
}
