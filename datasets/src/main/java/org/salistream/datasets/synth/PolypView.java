package org.salistream.datasets.synth;

/**
 * How one polyp appears in one frame: its mask pixels and their bounding box (inclusive pixel
 * coordinates; all -1 when the polyp is not visible).
 */
public record PolypView(int polypId, PolypShape shape, int pixels, int minX, int minY, int maxX, int maxY) {

    /** True when at least one pixel of the frame shows the polyp. */
    public boolean visible() {
        return pixels > 0;
    }
}
