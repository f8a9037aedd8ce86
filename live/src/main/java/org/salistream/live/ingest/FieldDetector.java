package org.salistream.live.ingest;

import java.util.Optional;

/**
 * Finds an endoscope's visible field in a frame: the round or octagonal image surrounded by the black
 * border that video processors put around it (often with patient and device text in the border). The
 * published SALI pre-processing (and SUN-SEG's frames) assume that border cropped away; it also keeps the
 * on-screen text, which may identify the patient, off Kafka.
 *
 * <p>Method: on a grid of about {@value #GRID} cells across, a cell is lit when the brightest channel of its
 * centre pixel exceeds {@value #LIT}; the field is the largest 4-connected lit region (text glyphs are small
 * separate regions; the field, even with a dark lumen in it, is one ring-shaped region), and the crop is its
 * bounding box grown by one cell so that no edge of the field is lost. A frame whose largest region covers
 * less than {@value #MIN_FIELD_PERCENT}% of the grid (a black frame, the scope outside the body) gives no
 * field.
 */
public final class FieldDetector {

    /** Cells across the grid. */
    static final int GRID = 160;
    /** Brightest channel above which a cell counts as inside the field (the border is black, up to codec noise). */
    static final int LIT = 24;
    /** Smallest field, in percent of the frame. */
    static final int MIN_FIELD_PERCENT = 10;

    /** The field's bounding box, or empty when the frame shows none. */
    public Optional<Crop> detect(BgrImage image) {
        int step = Math.max(1, image.width() / GRID);
        int gw = image.width() / step;
        int gh = image.height() / step;
        boolean[] lit = new boolean[gw * gh];
        for (int gy = 0; gy < gh; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                lit[gy * gw + gx] = image.maxChannel(gx * step + step / 2, gy * step + step / 2) > LIT;
            }
        }
        int[] best = largestRegion(lit, gw, gh);
        if (best == null || best[4] * 100L < (long) MIN_FIELD_PERCENT * gw * gh) {
            return Optional.empty();
        }
        int x0 = Math.max(0, (best[0] - 1) * step);
        int y0 = Math.max(0, (best[1] - 1) * step);
        int x1 = Math.min(image.width(), (best[2] + 2) * step);
        int y1 = Math.min(image.height(), (best[3] + 2) * step);
        if (best[2] == gw - 1) {
            x1 = image.width();
        }
        if (best[3] == gh - 1) {
            y1 = image.height();
        }
        return Optional.of(new Crop(x0, y0, x1 - x0, y1 - y0));
    }

    /** {min x, min y, max x, max y, cells} of the largest 4-connected lit region, or null when none is lit. */
    private static int[] largestRegion(boolean[] lit, int gw, int gh) {
        int[] label = new int[lit.length];
        int[] stack = new int[lit.length];
        int[] best = null;
        int next = 0;
        for (int start = 0; start < lit.length; start++) {
            if (!lit[start] || label[start] != 0) {
                continue;
            }
            next++;
            int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1, 0};
            int top = 0;
            stack[top++] = start;
            label[start] = next;
            while (top > 0) {
                int c = stack[--top];
                int x = c % gw;
                int y = c / gw;
                box[0] = Math.min(box[0], x);
                box[1] = Math.min(box[1], y);
                box[2] = Math.max(box[2], x);
                box[3] = Math.max(box[3], y);
                box[4]++;
                if (x > 0) {
                    top = push(lit, label, stack, top, c - 1, next);
                }
                if (x < gw - 1) {
                    top = push(lit, label, stack, top, c + 1, next);
                }
                if (y > 0) {
                    top = push(lit, label, stack, top, c - gw, next);
                }
                if (y < gh - 1) {
                    top = push(lit, label, stack, top, c + gw, next);
                }
            }
            if (best == null || box[4] > best[4]) {
                best = box;
            }
        }
        return best;
    }

    private static int push(boolean[] lit, int[] label, int[] stack, int top, int cell, int id) {
        if (lit[cell] && label[cell] == 0) {
            label[cell] = id;
            stack[top++] = cell;
        }
        return top;
    }
}
