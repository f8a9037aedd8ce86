package org.salistream.datasets.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds a polyp's ellipsoids at a wall position. Sessile: a broad dome (an ellipsoid sunk partly into
 * the wall) with up to two smaller lobes. Pedunculated: a slim stalk leaning out of the wall and a round
 * head at its end.
 */
final class PolypFactory {

    private PolypFactory() {}

    static Polyp make(
            int id, PolypShape shape, double theta, double z, double size, FoldModel folds, SplittableRandom rnd) {
        double wall = 1 - folds.height(z, theta);
        Vec3 base = new Vec3(wall * Math.cos(theta), wall * Math.sin(theta), z);
        Vec3 inward = new Vec3(-Math.cos(theta), -Math.sin(theta), 0);
        Vec3 around = new Vec3(-Math.sin(theta), Math.cos(theta), 0);
        Vec3 along = new Vec3(0, 0, 1);
        List<Ellipsoid> parts = new ArrayList<>();
        if (shape == PolypShape.SESSILE) {
            double spin = rnd.nextDouble() * Math.PI;
            Vec3 t1 = around.times(Math.cos(spin)).plus(along.times(Math.sin(spin)));
            Vec3 t2 = inward.cross(t1).normalized();
            double a = size;
            double b = size * (0.75 + 0.35 * rnd.nextDouble());
            double c = size * (0.5 + 0.35 * rnd.nextDouble());
            double lift = c * (0.15 + 0.35 * rnd.nextDouble());
            parts.add(new Ellipsoid(base.plus(inward.times(lift)), t1, t2, inward, a, b, c));
            int lobes = rnd.nextInt(3);
            for (int l = 0; l < lobes; l++) {
                double ang = rnd.nextDouble() * 2 * Math.PI;
                double k = 0.4 + 0.2 * rnd.nextDouble();
                Vec3 at = base.plus(t1.times(Math.cos(ang) * a * 0.55))
                        .plus(t2.times(Math.sin(ang) * b * 0.55))
                        .plus(inward.times(lift * 0.8));
                parts.add(new Ellipsoid(at, t1, t2, inward, a * k, b * k, c * (k + 0.15)));
            }
        } else {
            double head = size * 0.72;
            double length = size * (1.0 + 0.8 * rnd.nextDouble());
            Vec3 lean = inward.plus(along.times((rnd.nextDouble() - 0.5) * 1.2))
                    .plus(around.times((rnd.nextDouble() - 0.5) * 0.6))
                    .normalized();
            Vec3 s1 = lean.cross(along).length() > 1e-6 ? lean.cross(along).normalized() : around;
            Vec3 s2 = lean.cross(s1).normalized();
            double thick = head * 0.36;
            parts.add(new Ellipsoid(base.plus(lean.times(length * 0.45)), lean, s1, s2, length * 0.62, thick, thick));
            Vec3 hc = base.plus(lean.times(length + head * 0.55));
            parts.add(new Ellipsoid(
                    hc,
                    lean,
                    s1,
                    s2,
                    head * (0.9 + 0.2 * rnd.nextDouble()),
                    head * (0.9 + 0.2 * rnd.nextDouble()),
                    head));
            // A low tent of mucosa where the stalk leaves the wall.
            parts.add(new Ellipsoid(base, around, along, inward, thick * 2.2, thick * 2.2, thick * 0.9));
        }
        double largest =
                parts.stream().mapToDouble(Ellipsoid::boundingRadius).max().orElse(size);
        return new Polyp(id, shape, theta, z, largest, parts);
    }

    /** Where the endoscopist looks: the head, or the top of the dome. */
    static Vec3 aimPoint(Polyp p) {
        if (p.shape() == PolypShape.PEDUNCULATED) {
            return p.parts().get(1).center();
        }
        Ellipsoid e = p.parts().get(0);
        return e.center().plus(e.e3().times(e.c() * 0.5));
    }

    /** How far the polyp reaches beyond its base along the axis (toward +z). */
    static double axialExtent(Polyp p) {
        double max = 0;
        for (Ellipsoid e : p.parts()) {
            max = Math.max(max, e.center().z() + e.boundingRadius() - p.z());
        }
        return max;
    }
}
