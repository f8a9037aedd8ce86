package org.salistream.live.ingest;

/**
 * A region of a frame in pixels (origin top left).
 *
 * @param x      left column
 * @param y      top row
 * @param width  columns
 * @param height rows
 */
public record Crop(int x, int y, int width, int height) {

    /** Checks x, y >= 0 and a positive size. */
    public Crop {
        if (x < 0 || y < 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "a crop needs X,Y >= 0 and W,H >= 1, got " + x + "," + y + "," + width + "," + height);
        }
    }

    /** The whole of a frame. */
    public static Crop whole(int width, int height) {
        return new Crop(0, 0, width, height);
    }

    /** Whether this region lies inside a frame of the given size. */
    public boolean fitsIn(int frameWidth, int frameHeight) {
        return (long) x + width <= frameWidth && (long) y + height <= frameHeight;
    }

    /** Whether this region is the whole of a frame of the given size. */
    public boolean isWhole(int frameWidth, int frameHeight) {
        return x == 0 && y == 0 && width == frameWidth && height == frameHeight;
    }

    /** The largest distance between corresponding edges of two regions, in pixels. */
    public int edgeDistance(Crop o) {
        return Math.max(
                Math.max(Math.abs(x - o.x), Math.abs(y - o.y)),
                Math.max(Math.abs(x + width - o.x - o.width), Math.abs(y + height - o.y - o.height)));
    }

    /** {@code X,Y,W,H}, as {@code --crop} takes it. */
    @Override
    public String toString() {
        return x + "," + y + "," + width + "," + height;
    }
}
