package org.salistream.model.image;

/**
 * The published test transform ({@code transforms.Resize((S, S))}, {@code ToTensor()},
 * {@code Normalize(mean, std)}): an RGB frame of any size is resized to S x S with Pillow's bilinear filter
 * ({@link PilResize}), scaled to [0, 1] by /255 and normalised per channel, all in float32 as torchvision
 * computes it. Output (3, S, S), channel-major.
 */
public final class Preprocessor {

    private final int size;
    private final float[] mean;
    private final float[] std;

    /** A preprocessor to S x S with the given RGB mean and std. */
    public Preprocessor(int size, float[] mean, float[] std) {
        if (size <= 0) {
            throw new IllegalArgumentException("model size must be positive");
        }
        this.size = size;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** The model input of a frame, (3, S, S). */
    public float[] apply(RgbImage frame) {
        RgbImage img = frame.width() == size && frame.height() == size ? frame : PilResize.resize(frame, size, size);
        int n = size * size;
        float[] out = new float[3 * n];
        byte[] rgb = img.rgb();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = (rgb[3 * i + c] & 0xFF) / 255f;
                out[c * n + i] = (v - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** S. */
    public int size() {
        return size;
    }
}
