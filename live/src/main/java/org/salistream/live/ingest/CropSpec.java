package org.salistream.live.ingest;

import java.util.Locale;

/**
 * What {@code --crop} asks for: {@code none} (send whole frames), {@code auto} (find the endoscope's
 * visible field and send only it, see {@link FieldDetector}) or a fixed region {@code X,Y,W,H}.
 *
 * @param mode  none, auto or fixed
 * @param fixed the region when fixed, else null
 */
public record CropSpec(Mode mode, Crop fixed) {

    /** The three choices. */
    public enum Mode {
        /** Whole frames. */
        NONE,
        /** The detected field of view, followed when it changes. */
        AUTO,
        /** One fixed region. */
        FIXED
    }

    /** Checks that a fixed region comes with FIXED only. */
    public CropSpec {
        if (mode == null || (mode == Mode.FIXED) != (fixed != null)) {
            throw new IllegalArgumentException("a fixed crop needs its region, and only a fixed crop has one");
        }
    }

    /**
     * Parses {@code auto}, {@code none} or {@code X,Y,W,H} (pixels).
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static CropSpec parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return new CropSpec(Mode.AUTO, null);
        }
        if (v.equals("none")) {
            return new CropSpec(Mode.NONE, null);
        }
        String[] parts = v.split(",", -1);
        if (parts.length == 4) {
            try {
                int[] n = new int[4];
                for (int i = 0; i < 4; i++) {
                    if (!parts[i].trim().matches("\\d{1,5}")) {
                        throw new NumberFormatException(parts[i]);
                    }
                    n[i] = Integer.parseInt(parts[i].trim());
                }
                return new CropSpec(Mode.FIXED, new Crop(n[0], n[1], n[2], n[3]));
            } catch (NumberFormatException e) {
                // reported below with the whole value
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--crop " + s.trim() + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(
                "--crop must be auto, none or X,Y,W,H in pixels (e.g. 240,10,1040,1010), got '" + s + "'");
    }

    /**
     * Checks the region against the first frame's size.
     *
     * @throws IllegalArgumentException when a fixed region does not lie inside the frame
     */
    public void requireFits(int frameWidth, int frameHeight) {
        if (mode == Mode.FIXED && !fixed.fitsIn(frameWidth, frameHeight)) {
            throw new IllegalArgumentException("--crop " + fixed + " does not lie inside the source's " + frameWidth
                    + "x" + frameHeight + " frames");
        }
    }

    @Override
    public String toString() {
        return mode == Mode.FIXED ? fixed.toString() : mode.name().toLowerCase(Locale.ROOT);
    }
}
