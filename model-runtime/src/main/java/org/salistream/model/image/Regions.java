package org.salistream.model.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Connected regions of a binary mask (8-connectivity), with their bounding boxes, areas and scores (the
 * largest probability inside), largest first: what the masks topic reports as polyp boxes.
 */
public final class Regions {

    /**
     * One region.
     *
     * @param x left column
     * @param y top row
     * @param width box width
     * @param height box height
     * @param area pixels in the region
     * @param score the largest probability in the region
     */
    public record Region(int x, int y, int width, int height, int area, float score) {}

    private Regions() {}

    /**
     * The regions of {@code mask} (w x h, row-major) of at least {@code minArea} pixels, largest first.
     *
     * @param probability per-pixel probability for the scores
     */
    public static List<Region> of(boolean[] mask, int w, int h, float[] probability, int minArea) {
        if (mask.length != w * h || probability.length != w * h) {
            throw new IllegalArgumentException("mask and probability must both be " + w + "x" + h);
        }
        boolean[] seen = new boolean[mask.length];
        int[] stack = new int[mask.length];
        List<Region> out = new ArrayList<>();
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || seen[start]) {
                continue;
            }
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            int minX = w;
            int minY = h;
            int maxX = -1;
            int maxY = -1;
            int area = 0;
            float score = 0f;
            while (top > 0) {
                int p = stack[--top];
                int px = p % w;
                int py = p / w;
                area++;
                score = Math.max(score, probability[p]);
                minX = Math.min(minX, px);
                maxX = Math.max(maxX, px);
                minY = Math.min(minY, py);
                maxY = Math.max(maxY, py);
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = py + dy;
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        int q = ny * w + nx;
                        if (nx >= 0 && nx < w && mask[q] && !seen[q]) {
                            seen[q] = true;
                            stack[top++] = q;
                        }
                    }
                }
            }
            if (area >= minArea) {
                out.add(new Region(minX, minY, maxX - minX + 1, maxY - minY + 1, area, score));
            }
        }
        out.sort(Comparator.comparingInt(Region::area).reversed());
        return out;
    }
}
