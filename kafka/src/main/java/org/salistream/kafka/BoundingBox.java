package org.salistream.kafka;

/**
 * An axis-aligned box around one connected polyp region, in pixels of the frame (origin top left),
 * with the region's score (the highest polyp probability inside it).
 *
 * @param x     left column, {@code >= 0}
 * @param y     top row, {@code >= 0}
 * @param w     width in pixels, {@code >= 1}
 * @param h     height in pixels, {@code >= 1}
 * @param score probability in [0, 1]
 */
public record BoundingBox(int x, int y, int w, int h, float score) {

    /** Validates the box; a bad field is an {@link IllegalArgumentException} naming it. */
    public BoundingBox {
        if (x < 0 || y < 0 || w < 1 || h < 1) {
            throw new IllegalArgumentException(
                    "box needs x, y >= 0 and w, h >= 1, got " + x + "," + y + " " + w + "x" + h);
        }
        if (!(score >= 0f && score <= 1f)) {
            throw new IllegalArgumentException("box score must be in [0, 1], got " + score);
        }
    }

    /** Whether the box lies inside a frame of the given size. */
    public boolean fitsIn(int width, int height) {
        return (long) x + w <= width && (long) y + h <= height;
    }
}
