package org.salistream.model.image;

/**
 * A frame's segmentation at frame size, from the model's logits, computed as the published test does:
 * logits resized to the frame ({@link TorchBilinear}), sigmoid, then min-max normalised
 * ({@code (p - min) / (max - min + 1e-8)}) and written as {@code uint8(p * 255)} (truncated).
 *
 * <p>The normalised map is the published output (a relative map: its maximum is always near 1, even
 * without a polyp), kept for evaluation parity. Decisions that need an absolute confidence (the binary
 * mask, area, boxes, alerts) use the sigmoid probability itself.
 */
public final class FrameMask {

    private final int width;
    private final int height;
    private final float[] probability;
    private final float maxProbability;

    private FrameMask(int width, int height, float[] probability) {
        this.width = width;
        this.height = height;
        this.probability = probability;
        float m = 0f;
        for (float p : probability) {
            m = Math.max(m, p);
        }
        this.maxProbability = m;
    }

    /** The mask of a frame of {@code width} x {@code height} from (S, S) logits. */
    public static FrameMask fromLogits(float[] logits, int size, int width, int height) {
        float[] up = TorchBilinear.resize(logits, size, size, height, width);
        for (int i = 0; i < up.length; i++) {
            up[i] = (float) (1.0 / (1.0 + Math.exp(-up[i])));
        }
        return new FrameMask(width, height, up);
    }

    /** Frame width. */
    public int width() {
        return width;
    }

    /** Frame height. */
    public int height() {
        return height;
    }

    /** The sigmoid probability per pixel, row-major; do not modify. */
    public float[] probability() {
        return probability;
    }

    /** The largest pixel probability: the frame's polyp confidence. */
    public float maxProbability() {
        return maxProbability;
    }

    /** The published min-max normalised map, float. */
    public float[] normalized() {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float p : probability) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        float den = max - min + 1e-8f;
        float[] out = new float[probability.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (probability[i] - min) / den;
        }
        return out;
    }

    /** The published 8-bit output, {@code uint8(normalized * 255)}, row-major grey. */
    public byte[] normalized8() {
        float[] n = normalized();
        byte[] out = new byte[n.length];
        for (int i = 0; i < n.length; i++) {
            out[i] = (byte) (int) (n[i] * 255f);
        }
        return out;
    }

    /** The binary mask of pixels whose probability is at least {@code threshold}. */
    public boolean[] binary(float threshold) {
        boolean[] out = new boolean[probability.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = probability[i] >= threshold;
        }
        return out;
    }
}
