package org.salistream.datasets.synth;

import java.util.EnumSet;
import java.util.Set;

/**
 * What the synthetic procedure generator makes.
 *
 * @param width           frame width in pixels (at least 32)
 * @param height          frame height in pixels (at least 32)
 * @param frames          frames per case (at least 3: the evaluation drops each case's first and last)
 * @param minPolyps       fewest polyps per case (0..3)
 * @param maxPolyps       most polyps per case (minPolyps..3)
 * @param minPolypSize    smallest polyp semi-axis, in tube radii
 * @param maxPolypSize    largest polyp semi-axis, in tube radii
 * @param degradations    the low-quality kinds to place in every case
 * @param segmentsPerKind segments of each requested kind per case (where the case is long enough)
 */
public record SynthOptions(
        int width,
        int height,
        int frames,
        int minPolyps,
        int maxPolyps,
        double minPolypSize,
        double maxPolypSize,
        Set<Degradation> degradations,
        int segmentsPerKind) {

    public SynthOptions {
        if (width < 32 || height < 32) {
            throw new IllegalArgumentException("frame size must be at least 32x32, got " + width + "x" + height);
        }
        if (frames < 3) {
            throw new IllegalArgumentException("a case needs at least 3 frames, got " + frames);
        }
        if (minPolyps < 0 || maxPolyps > 3 || minPolyps > maxPolyps) {
            throw new IllegalArgumentException(
                    "polyps per case must satisfy 0 <= min <= max <= 3, got " + minPolyps + ".." + maxPolyps);
        }
        if (!(minPolypSize > 0) || maxPolypSize < minPolypSize || maxPolypSize > 0.6) {
            throw new IllegalArgumentException("polyp size must satisfy 0 < min <= max <= 0.6 tube radii, got "
                    + minPolypSize + ".." + maxPolypSize);
        }
        if (segmentsPerKind < 0) {
            throw new IllegalArgumentException("segments per kind must not be negative");
        }
        degradations = degradations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(degradations));
    }

    /** 352x352 (SALI's input size), 60 frames, 0..3 polyps, every low-quality kind once per case. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder()
                .size(width, height)
                .frames(frames)
                .polyps(minPolyps, maxPolyps)
                .polypSize(minPolypSize, maxPolypSize)
                .degradations(degradations)
                .segmentsPerKind(segmentsPerKind);
    }

    /** Builder of {@link SynthOptions}. */
    public static final class Builder {
        private int width = 352;
        private int height = 352;
        private int frames = 60;
        private int minPolyps = 0;
        private int maxPolyps = 3;
        private double minPolypSize = 0.12;
        private double maxPolypSize = 0.38;
        private Set<Degradation> degradations = EnumSet.allOf(Degradation.class);
        private int segmentsPerKind = 1;

        private Builder() {}

        public Builder size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        public Builder frames(int n) {
            this.frames = n;
            return this;
        }

        public Builder polyps(int min, int max) {
            this.minPolyps = min;
            this.maxPolyps = max;
            return this;
        }

        public Builder polypSize(double min, double max) {
            this.minPolypSize = min;
            this.maxPolypSize = max;
            return this;
        }

        public Builder degradations(Set<Degradation> kinds) {
            this.degradations = kinds.isEmpty() ? EnumSet.noneOf(Degradation.class) : EnumSet.copyOf(kinds);
            return this;
        }

        public Builder segmentsPerKind(int n) {
            this.segmentsPerKind = n;
            return this;
        }

        public SynthOptions build() {
            return new SynthOptions(
                    width,
                    height,
                    frames,
                    minPolyps,
                    maxPolyps,
                    minPolypSize,
                    maxPolypSize,
                    degradations,
                    segmentsPerKind);
        }
    }
}
