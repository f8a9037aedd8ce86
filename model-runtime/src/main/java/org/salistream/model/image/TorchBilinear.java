package org.salistream.model.image;

/**
 * Bilinear resizing of a single-channel float map with {@code F.interpolate(size=(H, W), mode='bilinear',
 * align_corners=False)} rules, in float32 arithmetic as PyTorch's CPU kernel computes it: source coordinate
 * {@code max((dst + 0.5) * in/out - 0.5, 0)}, neighbours clamped at the far edge. The published test uses it
 * to bring the logits back to the frame size ({@code F.upsample(res, size=gt.shape)}).
 */
public final class TorchBilinear {

    private TorchBilinear() {}

    /** Resizes {@code src} (inH, inW) row-major to (outH, outW). */
    public static float[] resize(float[] src, int inH, int inW, int outH, int outW) {
        if (src.length != inH * inW) {
            throw new IllegalArgumentException("map of " + src.length + " values is not " + inH + "x" + inW);
        }
        if (inH == outH && inW == outW) {
            return src.clone();
        }
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] ly = new float[outH];
        axis(inH, outH, y0, y1, ly);
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] lx = new float[outW];
        axis(inW, outW, x0, x1, lx);
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            float h1 = ly[y];
            float h0 = 1f - h1;
            int r0 = y0[y] * inW;
            int r1 = y1[y] * inW;
            for (int x = 0; x < outW; x++) {
                float w1 = lx[x];
                float w0 = 1f - w1;
                out[y * outW + x] = h0 * (w0 * src[r0 + x0[x]] + w1 * src[r0 + x1[x]])
                        + h1 * (w0 * src[r1 + x0[x]] + w1 * src[r1 + x1[x]]);
            }
        }
        return out;
    }

    private static void axis(int in, int out, int[] i0, int[] i1, float[] lambda) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = Math.max(scale * (d + 0.5f) - 0.5f, 0f);
            int i = Math.min((int) src, in - 1);
            i0[d] = i;
            i1[d] = Math.min(i + 1, in - 1);
            lambda[d] = Math.min(Math.max(src - i, 0f), 1f);
        }
    }
}
