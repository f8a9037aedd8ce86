package org.salistream.datasets.synth;

import java.util.List;

/**
 * A case's polyps as seen from one camera position, in flat arrays for the per-pixel loop. Each ellipsoid is
 * kept as the matrix {@code M} (rows {@code e1/a, e2/b, e3/c}) that maps it onto the unit sphere, and
 * {@code M (origin - centre)}: a ray then meets it where {@code |M (origin - centre) + t M d| = 1}. Each polyp
 * also has a bounding sphere, tested first because most rays miss every polyp.
 */
final class PolypSet {

    private final double ox;
    private final double oy;
    private final double oz;
    /** Polyp pi's ellipsoids are {@code first[pi] .. first[pi + 1] - 1}. */
    private final int[] first;
    /** Polyp id (1-based) per ellipsoid. */
    private final int[] owner;
    /** 9 per ellipsoid: rows e1/a, e2/b, e3/c. */
    private final double[] m;
    /** 3 per ellipsoid: M (origin - centre). */
    private final double[] o;
    /** 3 per polyp: the bounding sphere's centre. */
    private final double[] centre;

    private final double[] radiusSquared;
    private final double[] radius;

    PolypSet(List<Polyp> list, Vec3 origin) {
        ox = origin.x();
        oy = origin.y();
        oz = origin.z();
        int n = 0;
        for (Polyp p : list) {
            n += p.parts().size();
        }
        first = new int[list.size() + 1];
        owner = new int[n];
        m = new double[9 * n];
        o = new double[3 * n];
        centre = new double[3 * list.size()];
        radiusSquared = new double[list.size()];
        radius = new double[list.size()];
        int k = 0;
        for (int pi = 0; pi < list.size(); pi++) {
            Polyp p = list.get(pi);
            first[pi] = k;
            double cx = 0;
            double cy = 0;
            double cz = 0;
            for (Ellipsoid e : p.parts()) {
                cx += e.center().x();
                cy += e.center().y();
                cz += e.center().z();
            }
            cx /= p.parts().size();
            cy /= p.parts().size();
            cz /= p.parts().size();
            double rad = 0;
            for (Ellipsoid e : p.parts()) {
                Vec3 d = e.center().minus(new Vec3(cx, cy, cz));
                rad = Math.max(rad, d.length() + e.boundingRadius());
                Vec3[] rows = {e.e1().times(1 / e.a()), e.e2().times(1 / e.b()), e.e3().times(1 / e.c())};
                Vec3 rel = origin.minus(e.center());
                for (int r = 0; r < 3; r++) {
                    m[9 * k + 3 * r] = rows[r].x();
                    m[9 * k + 3 * r + 1] = rows[r].y();
                    m[9 * k + 3 * r + 2] = rows[r].z();
                    o[3 * k + r] = rows[r].dot(rel);
                }
                owner[k] = pi + 1;
                k++;
            }
            centre[3 * pi] = cx;
            centre[3 * pi + 1] = cy;
            centre[3 * pi + 2] = cz;
            radiusSquared[pi] = rad * rad;
            // The root of the square, as the recorded frames were made (it equals rad: sqrt(x * x) == x in
            // binary floating point).
            radius[pi] = Math.sqrt(radiusSquared[pi]);
        }
        first[list.size()] = k;
    }

    /**
     * True when the unit ray from the origin passes within {@code slack} radians (seen from the origin) of
     * some polyp's bounding sphere.
     */
    boolean passesNear(double dx, double dy, double dz, double slack) {
        for (int pi = 0; pi < radius.length; pi++) {
            if (!missesSphere(pi, dx, dy, dz, slack)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the ray misses polyp pi's bounding sphere widened by {@code slack} radians; with no slack,
     * the exact sphere.
     */
    private boolean missesSphere(int pi, double dx, double dy, double dz, double slack) {
        double sx = centre[3 * pi] - ox;
        double sy = centre[3 * pi + 1] - oy;
        double sz = centre[3 * pi + 2] - oz;
        double dist2 = sx * sx + sy * sy + sz * sz;
        double proj = sx * dx + sy * dy + sz * dz;
        double reach = radius[pi];
        double reach2 = radiusSquared[pi];
        if (slack > 0) {
            reach += Math.sqrt(dist2) * slack;
            reach2 = reach * reach;
        }
        return dist2 - proj * proj > reach2 || proj < -reach;
    }

    /**
     * The nearest ellipsoid the unit ray enters in front of the origin and before {@code tMax}, or null when
     * it enters none.
     */
    PolypHit nearest(double dx, double dy, double dz, double tMax) {
        double tBest = tMax;
        int best = -1;
        for (int pi = 0; pi < radius.length; pi++) {
            if (missesSphere(pi, dx, dy, dz, 0)) {
                continue;
            }
            for (int k = first[pi]; k < first[pi + 1]; k++) {
                int q = 9 * k;
                double ex = m[q] * dx + m[q + 1] * dy + m[q + 2] * dz;
                double ey = m[q + 3] * dx + m[q + 4] * dy + m[q + 5] * dz;
                double ez = m[q + 6] * dx + m[q + 7] * dy + m[q + 8] * dz;
                double px = o[3 * k];
                double py = o[3 * k + 1];
                double pz = o[3 * k + 2];
                double qa = ex * ex + ey * ey + ez * ez;
                double qb = px * ex + py * ey + pz * ez;
                double qc = px * px + py * py + pz * pz - 1;
                double disc = qb * qb - qa * qc;
                if (disc < 0) {
                    continue;
                }
                double t = (-qb - Math.sqrt(disc)) / qa;
                if (t > 0 && t < tBest) {
                    tBest = t;
                    best = k;
                }
            }
        }
        return best < 0 ? null : new PolypHit(owner[best], best, tBest);
    }

    /**
     * The outward normal (not unit length) where the unit ray d meets the polyp, into {@code out}'s normal:
     * the gradient of {@code |M(p - c)|^2}, {@code M^T M (p - c)}, with {@code M(p - c) = o' + t d'}.
     */
    void normal(PolypHit hit, double dx, double dy, double dz, SurfacePoint out) {
        int k = hit.ellipsoid();
        double t = hit.distance();
        int q = 9 * k;
        double lx = o[3 * k] + t * (m[q] * dx + m[q + 1] * dy + m[q + 2] * dz);
        double ly = o[3 * k + 1] + t * (m[q + 3] * dx + m[q + 4] * dy + m[q + 5] * dz);
        double lz = o[3 * k + 2] + t * (m[q + 6] * dx + m[q + 7] * dy + m[q + 8] * dz);
        out.nx = m[q] * lx + m[q + 3] * ly + m[q + 6] * lz;
        out.ny = m[q + 1] * lx + m[q + 4] * ly + m[q + 7] * lz;
        out.nz = m[q + 2] * lx + m[q + 5] * ly + m[q + 8] * lz;
    }
}
