package org.salistream.datasets.synth;

import java.util.SplittableRandom;

/**
 * Submucosal vessels as seen through colonic mucosa: a few trunks that wander and branch, thinning at
 * each branch, drawn as soft strokes into a periodic density map (wrapping at the texture's edges so the
 * unrolled wall has no seam).
 */
final class VesselNetwork {

    private VesselNetwork() {}

    static void draw(float[] map, int w, int h, SplittableRandom rnd, double density) {
        int trunks = (int) Math.round(10 + 14 * density);
        for (int t = 0; t < trunks; t++) {
            double x = rnd.nextDouble() * w;
            double y = rnd.nextDouble() * h;
            double dir = rnd.nextDouble() * 2 * Math.PI;
            branch(
                    map,
                    w,
                    h,
                    rnd,
                    x,
                    y,
                    dir,
                    1.6 + rnd.nextDouble() * 1.2,
                    0.55 + 0.35 * rnd.nextDouble(),
                    60 + rnd.nextInt(120),
                    0);
        }
    }

    private static void branch(
            float[] map,
            int w,
            int h,
            SplittableRandom rnd,
            double x,
            double y,
            double dir,
            double width,
            double strength,
            int steps,
            int depth) {
        double curl = (rnd.nextDouble() - 0.5) * 0.08;
        for (int s = 0; s < steps; s++) {
            stamp(map, w, h, x, y, width, strength);
            dir += curl + (rnd.nextDouble() - 0.5) * 0.35;
            x += Math.cos(dir) * 1.5;
            y += Math.sin(dir) * 1.5;
            if (depth < 3 && rnd.nextDouble() < 0.035) {
                double side = rnd.nextBoolean() ? 1 : -1;
                branch(
                        map,
                        w,
                        h,
                        rnd,
                        x,
                        y,
                        dir + side * (0.5 + rnd.nextDouble() * 0.7),
                        width * 0.65,
                        strength * 0.85,
                        (int) (steps * 0.5) + 10,
                        depth + 1);
            }
            width *= 0.997;
        }
    }

    private static void stamp(float[] map, int w, int h, double cx, double cy, double radius, double strength) {
        int r = (int) Math.ceil(radius + 1);
        int ix = (int) Math.floor(cx);
        int iy = (int) Math.floor(cy);
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                double ddx = ix + dx + 0.5 - cx;
                double ddy = iy + dy + 0.5 - cy;
                double d = Math.sqrt(ddx * ddx + ddy * ddy);
                double a = strength * Math.max(0, 1 - Math.max(0, d - radius * 0.5) / (radius * 0.5 + 1));
                if (a > 0) {
                    int px = Math.floorMod(ix + dx, w);
                    int py = Math.floorMod(iy + dy, h);
                    int i = py * w + px;
                    map[i] = (float) Math.max(map[i], a);
                }
            }
        }
    }
}
