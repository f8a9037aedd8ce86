package org.salistream.datasets.synth;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Ray casting of one frame: for every pixel of the endoscope's field of view, the ray from the tip meets
 * either the colon wall (a tube of radius {@code 1 - h(z, theta)} with haustral folds {@code h}) or a polyp
 * (a union of ellipsoids), whichever is nearer. The pixel's colour is that surface's albedo lit by the
 * light at the tip (Lambertian with inverse-square falloff and Blinn specular on a bump-perturbed normal,
 * which gives the wet glints); its mask bit is whether that surface is a polyp. Both come from the same
 * intersection, so the mask is exact by construction.
 *
 * <p>Output is linear radiance (before exposure and tone mapping), three float planes, and a per-pixel
 * surface id (0 wall, k polyp k, -1 outside the field of view). Rows are split across threads; nothing in
 * the loop is random, so the result does not depend on the thread count.
 */
final class ColonRenderer {

    private static final double WALL_SPEC = 1.4;
    private static final double POLYP_SPEC = 0.8;
    private static final double BUMP = 5.0;
    private static final double FAR = 60;

    private final CasePlan plan;
    private final ColonTexture tex;
    private final FieldOfView fov;
    private final double[][] polypTint;

    ColonRenderer(CasePlan plan, ColonTexture tex, FieldOfView fov) {
        this.plan = plan;
        this.tex = tex;
        this.fov = fov;
        List<Polyp> polyps = plan.polyps;
        polypTint = new double[polyps.size()][];
        java.util.SplittableRandom r = new java.util.SplittableRandom(plan.seed ^ 0x5DEECE66DL);
        for (int i = 0; i < polyps.size(); i++) {
            double redder = r.nextDouble();
            // Close to the mucosa: a little redder (adenoma) or a little paler (hyperplastic).
            polypTint[i] = redder > 0.5
                    ? new double[] {1.04, 0.78 + 0.08 * r.nextDouble(), 0.82}
                    : new double[] {0.97, 0.96 + 0.08 * r.nextDouble(), 1.0 + 0.06 * r.nextDouble()};
        }
    }

    /** Per-frame constants of the ellipsoids, in arrays for the inner loop. */
    static final class PolypSet {
        final int count;
        final int[] owner;          // polyp id per ellipsoid
        final double[] m;           // 9 per ellipsoid: rows e1/a, e2/b, e3/c
        final double[] o;           // 3 per ellipsoid: M (origin - centre)
        final double[] sphere;      // 4 per polyp: centre, radius^2
        final int polyps;

        PolypSet(List<Polyp> list, double ox, double oy, double oz) {
            int n = 0;
            for (Polyp p : list) {
                n += p.parts().size();
            }
            count = n;
            polyps = list.size();
            owner = new int[n];
            m = new double[9 * n];
            o = new double[3 * n];
            sphere = new double[4 * list.size()];
            int k = 0;
            for (int pi = 0; pi < list.size(); pi++) {
                Polyp p = list.get(pi);
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
                    Vec3 rel = new Vec3(ox, oy, oz).minus(e.center());
                    for (int r = 0; r < 3; r++) {
                        m[9 * k + 3 * r] = rows[r].x();
                        m[9 * k + 3 * r + 1] = rows[r].y();
                        m[9 * k + 3 * r + 2] = rows[r].z();
                        o[3 * k + r] = rows[r].dot(rel);
                    }
                    owner[k] = pi + 1;
                    k++;
                }
                sphere[4 * pi] = cx;
                sphere[4 * pi + 1] = cy;
                sphere[4 * pi + 2] = cz;
                sphere[4 * pi + 3] = rad * rad;
            }
        }
    }

    /**
     * Renders into the planes (linear radiance, unexposed) and the surface ids. Shading is done once per
     * 2x2 block (at the block's centre) and interpolated, except where a pixel's surface differs from
     * its neighbouring blocks' (polyp outlines): those pixels are shaded on their own, so colour edges
     * follow the mask exactly. Surface ids are always decided per pixel.
     */
    void render(CameraPose cam, float[] r, float[] g, float[] b, int[] surface) {
        int w = fov.width;
        int h = fov.height;
        int bw = (w + 1) / 2;
        int bh = (h + 1) / 2;
        Vec3 o = cam.position();
        PolypSet ps = new PolypSet(plan.polyps, o.x(), o.y(), o.z());
        float[] cr = new float[bw * bh];
        float[] cg = new float[bw * bh];
        float[] cb = new float[bw * bh];
        int[] cid = new int[bw * bh];
        boolean[] near = new boolean[bw * bh];
        // A pixel's ray is within 1.6 pixels (angle 1.6 * radiansPerPixel) of one of its four block centres'
        // rays; a block flagged "near" has its ray within that angle of a polyp's bounding sphere.
        double slack = 3 * cam.radiansPerPixel();
        IntStream.range(0, bh).parallel().forEach(by -> {
            double[] hit = new double[8];
            double[] fold = new double[4];
            double[] d = new double[3];
            for (int bx = 0; bx < bw; bx++) {
                fov.directionAt(2 * bx + 1.0, 2 * by + 1.0, cam, d);
                shade(o, d[0], d[1], d[2], ps, hit, fold);
                int q = by * bw + bx;
                cr[q] = (float) hit[0];
                cg[q] = (float) hit[1];
                cb[q] = (float) hit[2];
                cid[q] = (int) hit[3];
                near[q] = nearSphere(o, d, ps, slack);
            }
        });
        IntStream.range(0, h).parallel().forEach(y -> {
            double[] hit = new double[8];
            double[] fold = new double[4];
            double[] d = new double[3];
            double fy = (y - 0.5) / 2;
            int by0 = Math.max(0, Math.min(bh - 2, (int) Math.floor(fy)));
            float ty = (float) Math.max(0, Math.min(1, fy - by0));
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (!fov.inside(p)) {
                    r[p] = 0;
                    g[p] = 0;
                    b[p] = 0;
                    surface[p] = -1;
                    continue;
                }
                double fx = (x - 0.5) / 2;
                int bx0 = Math.max(0, Math.min(bw - 2, (int) Math.floor(fx)));
                float tx = (float) Math.max(0, Math.min(1, fx - bx0));
                int q00 = by0 * bw + bx0;
                int q01 = q00 + 1;
                int q10 = q00 + bw;
                int q11 = q10 + 1;
                int id = 0;
                boolean exact = near[q00] || near[q01] || near[q10] || near[q11];
                if (exact) {
                    fov.direction(p, cam, d);
                    id = surfaceId(o, d[0], d[1], d[2], ps, fold);
                }
                surface[p] = id;
                if (cid[q00] == id && cid[q01] == id && cid[q10] == id && cid[q11] == id) {
                    r[p] = lerp2(cr, q00, q01, q10, q11, tx, ty);
                    g[p] = lerp2(cg, q00, q01, q10, q11, tx, ty);
                    b[p] = lerp2(cb, q00, q01, q10, q11, tx, ty);
                } else {
                    if (!exact) {
                        fov.direction(p, cam, d);
                    }
                    shade(o, d[0], d[1], d[2], ps, hit, fold);
                    r[p] = (float) hit[0];
                    g[p] = (float) hit[1];
                    b[p] = (float) hit[2];
                }
            }
        });
    }

    /** True when the ray passes within the bounding sphere of some polyp widened by {@code slack} radians. */
    private static boolean nearSphere(Vec3 o, double[] d, PolypSet ps, double slack) {
        for (int pi = 0; pi < ps.polyps; pi++) {
            double sx = ps.sphere[4 * pi] - o.x();
            double sy = ps.sphere[4 * pi + 1] - o.y();
            double sz = ps.sphere[4 * pi + 2] - o.z();
            double dist2 = sx * sx + sy * sy + sz * sz;
            double proj = sx * d[0] + sy * d[1] + sz * d[2];
            double rad = Math.sqrt(ps.sphere[4 * pi + 3]) + Math.sqrt(dist2) * slack;
            if (dist2 - proj * proj <= rad * rad && proj >= -rad) {
                return true;
            }
        }
        return false;
    }

    private static float lerp2(float[] c, int q00, int q01, int q10, int q11, float tx, float ty) {
        float top = c[q00] + (c[q01] - c[q00]) * tx;
        float bottom = c[q10] + (c[q11] - c[q10]) * tx;
        return top + (bottom - top) * ty;
    }

    /**
     * The surface a ray meets first: 0 for the wall, k for polyp k. Cheap for most rays (they miss every
     * polyp's bounding sphere and the wall is then certain); the same decision {@link #shade} makes.
     */
    private int surfaceId(Vec3 o, double dx, double dy, double dz, PolypSet ps, double[] fold) {
        double[] best = new double[] {Double.POSITIVE_INFINITY};
        int k = nearestPolyp(o.x(), o.y(), o.z(), dx, dy, dz, ps, best);
        if (k < 0) {
            return 0;
        }
        double t = best[0];
        double hx = o.x() + t * dx;
        double hy = o.y() + t * dy;
        if (hx * hx + hy * hy < plan.folds.minRadiusSquared()) {
            // The distance from the axis along a ray is convex: a point inside the narrowest wall radius
            // comes before wallDistance's exit from the cylinder of radius 1 - h (>= that radius).
            return ps.owner[k];
        }
        double tWall = wallDistance(plan.folds, o.x(), o.y(), o.z(), dx, dy, dz, fold);
        return t < tWall ? ps.owner[k] : 0;
    }

    /**
     * The nearest ellipsoid the ray enters in front of the origin and before {@code tBest[0]}: its index
     * (tBest updated), or -1.
     */
    private static int nearestPolyp(double ox, double oy, double oz, double dx, double dy, double dz, PolypSet ps,
            double[] tBest) {
        int best = -1;
        for (int pi = 0; pi < ps.polyps; pi++) {
            // Bounding sphere first: most rays miss every polyp.
            double sx = ps.sphere[4 * pi] - ox;
            double sy = ps.sphere[4 * pi + 1] - oy;
            double sz = ps.sphere[4 * pi + 2] - oz;
            double proj = sx * dx + sy * dy + sz * dz;
            double dist2 = sx * sx + sy * sy + sz * sz - proj * proj;
            if (dist2 > ps.sphere[4 * pi + 3] || proj < -Math.sqrt(ps.sphere[4 * pi + 3])) {
                continue;
            }
            for (int k = 0; k < ps.count; k++) {
                if (ps.owner[k] != pi + 1) {
                    continue;
                }
                double[] m = ps.m;
                int q = 9 * k;
                double ex = m[q] * dx + m[q + 1] * dy + m[q + 2] * dz;
                double ey = m[q + 3] * dx + m[q + 4] * dy + m[q + 5] * dz;
                double ez = m[q + 6] * dx + m[q + 7] * dy + m[q + 8] * dz;
                double px = ps.o[3 * k];
                double py = ps.o[3 * k + 1];
                double pz = ps.o[3 * k + 2];
                double qa = ex * ex + ey * ey + ez * ez;
                double qb = px * ex + py * ey + pz * ez;
                double qc = px * px + py * py + pz * pz - 1;
                double disc = qb * qb - qa * qc;
                if (disc < 0) {
                    continue;
                }
                double t = (-qb - Math.sqrt(disc)) / qa;
                if (t > 0 && t < tBest[0]) {
                    tBest[0] = t;
                    best = k;
                }
            }
        }
        return best;
    }

    /**
     * Distance along a ray from inside the tube to the folded wall: the circular tube's exit, refined twice
     * against the fold height there (one step: folds are gentle). Used for drawing and by the geometry
     * queries alike.
     */
    static double wallDistance(FoldModel folds, double ox, double oy, double oz, double dx, double dy, double dz,
            double[] fold) {
        double a = dx * dx + dy * dy;
        if (a < 1e-12) {
            fold[0] = 0;
            fold[1] = 0;
            fold[2] = 0;
            fold[3] = 0;
            return FAR;
        }
        double bq = ox * dx + oy * dy;
        double oo = ox * ox + oy * oy;
        double t0 = (-bq + Math.sqrt(Math.max(0, bq * bq - a * (oo - 1)))) / a;
        double theta = FastMath.atan2(oy + t0 * dy, ox + t0 * dx);
        folds.eval(oz + t0 * dz, theta, fold);
        fold[3] = theta;
        double radius = 1 - fold[0];
        double t = (-bq + Math.sqrt(Math.max(0, bq * bq - a * (oo - radius * radius)))) / a;
        return Math.min(t, FAR);
    }

    /** Fills hit[0..2] with radiance and hit[3] with the surface id for the ray o + t d (d unit). */
    private void shade(Vec3 o, double dx, double dy, double dz, PolypSet ps, double[] hit, double[] fold) {
        double ox = o.x();
        double oy = o.y();
        double oz = o.z();
        double tWall = wallDistance(plan.folds, ox, oy, oz, dx, dy, dz, fold);
        double[] nearest = {tWall};
        int best = nearestPolyp(ox, oy, oz, dx, dy, dz, ps, nearest);
        double tBest = nearest[0];
        double hx = ox + tBest * dx;
        double hy = oy + tBest * dy;
        double hz = oz + tBest * dz;
        // The wall's fold height, slopes and angle come from wallDistance (taken where the ray meets the
        // unfolded tube: the refinement moves the point by less than the fold's scale).
        double theta = best < 0 ? fold[3] : FastMath.atan2(hy, hx);
        double rho = Math.sqrt(hx * hx + hy * hy);
        double cos = hx / rho;
        double sin = hy / rho;
        double nx;
        double ny;
        double nz;
        double[] tint = null;
        double spec;
        if (best < 0) {
            // Inward normal of r = 1 - h(z, theta): -rho_hat + (1/rho) r_theta theta_hat + r_z z_hat.
            // Far folds fade into a smooth tunnel (they are smaller than a pixel there and would alias).
            double lod = 1 / (1 + tBest * tBest * 0.12);
            double rt = -fold[2] / rho * lod;
            double rz = -fold[1] * lod;
            nx = -cos - rt * sin;
            ny = -sin + rt * cos;
            nz = rz;
            spec = WALL_SPEC;
            hit[3] = 0;
        } else {
            // Gradient of |M(p - c)|^2: M^T M (p - c), with M(p - c) = o' + t d'.
            double[] m = ps.m;
            int q = 9 * best;
            double lx = ps.o[3 * best] + tBest * (m[q] * dx + m[q + 1] * dy + m[q + 2] * dz);
            double ly = ps.o[3 * best + 1] + tBest * (m[q + 3] * dx + m[q + 4] * dy + m[q + 5] * dz);
            double lz = ps.o[3 * best + 2] + tBest * (m[q + 6] * dx + m[q + 7] * dy + m[q + 8] * dz);
            nx = m[q] * lx + m[q + 3] * ly + m[q + 6] * lz;
            ny = m[q + 1] * lx + m[q + 4] * ly + m[q + 7] * lz;
            nz = m[q + 2] * lx + m[q + 5] * ly + m[q + 8] * lz;
            int id = ps.owner[best];
            tint = polypTint[id - 1];
            spec = POLYP_SPEC;
            hit[3] = id;
        }
        double nl = Math.sqrt(nx * nx + ny * ny + nz * nz);
        nx /= nl;
        ny /= nl;
        nz /= nl;
        double ndv = -(nx * dx + ny * dy + nz * dz);
        if (ndv < 0) {
            ndv = 0;
        }
        // Texture lookup on the unrolled wall (polyps reuse it: their surface is mucosa too).
        double u = (theta + Math.PI) * (ColonTexture.TU / (2 * Math.PI));
        double v = hz * (ColonTexture.TV / ColonTexture.Z_SPAN);
        double footprint = tBest * 0.004 / Math.max(0.12, ndv) * ColonTexture.TV / ColonTexture.Z_SPAN;
        int level = footprint < 1.5 ? 0 : footprint < 3 ? 1 : footprint < 6 ? 2 : 3;
        double ar;
        double ag;
        double ab;
        int lw = ColonTexture.TU >> level;
        int lh = ColonTexture.TV >> level;
        double su = u / (1 << level) - 0.5;
        double sv = v / (1 << level) - 0.5;
        int iu = (int) Math.floor(su);
        int iv = (int) Math.floor(sv);
        double fu = su - iu;
        double fv = sv - iv;
        int u0 = Math.floorMod(iu, lw);
        int u1 = u0 + 1 == lw ? 0 : u0 + 1;
        int v0 = Math.floorMod(iv, lh);
        int v1 = v0 + 1 == lh ? 0 : v0 + 1;
        float[] tc = tex.rgb[level];
        int i00 = 3 * (v0 * lw + u0);
        int i01 = 3 * (v0 * lw + u1);
        int i10 = 3 * (v1 * lw + u0);
        int i11 = 3 * (v1 * lw + u1);
        ar = bilerp(tc[i00], tc[i01], tc[i10], tc[i11], fu, fv);
        ag = bilerp(tc[i00 + 1], tc[i01 + 1], tc[i10 + 1], tc[i11 + 1], fu, fv);
        ab = bilerp(tc[i00 + 2], tc[i01 + 2], tc[i10 + 2], tc[i11 + 2], fu, fv);
        // Bump: slopes around and along perturb the normal for the specular term.
        int bi = Math.floorMod((int) (tint != null ? u * 3 : u), ColonTexture.TU)
                + Math.floorMod((int) (tint != null ? v * 3 : v), ColonTexture.TV) * ColonTexture.TU;
        double bu = tex.slopeU[bi] * BUMP;
        double bv = tex.slopeV[bi] * BUMP;
        double bx = nx + bu * -sin;
        double by = ny + bu * cos;
        double bz = nz + bv;
        double bl = Math.sqrt(bx * bx + by * by + bz * bz);
        double sdv = -(bx * dx + by * dy + bz * dz) / bl;
        double s = sdv > 0 ? sdv : 0;
        s *= s; // ^2
        s *= s; // ^4
        s *= s; // ^8
        s *= s; // ^16
        s *= s; // ^32
        s *= s; // ^64
        if (tint == null) {
            s *= tex.wet[bi];
        } else {
            ar *= tint[0];
            ag *= tint[1];
            ab *= tint[2];
            s *= s; // ^128: tighter glints on the smooth polyp
        }
        // Inverse-square falloff, a little steeper far away (scattering in the lumen), and "wrapped"
        // diffuse light: the endoscope's two light guides and inter-reflection soften the terminator.
        double falloff = 1.0 / (tBest * tBest * (1 + 0.08 * tBest) + 0.03);
        double diffuse = 0.18 + 0.82 * ndv;
        double light = falloff * diffuse;
        double glint = falloff * spec * s;
        hit[0] = ar * light + glint;
        hit[1] = ag * light + glint * 0.97;
        hit[2] = ab * light + glint * 0.93;
        hit[4] = tBest;
    }

    private static double bilerp(float a, float b, float c, float d, double fu, double fv) {
        double top = a + (b - a) * fu;
        double bottom = c + (d - c) * fu;
        return top + (bottom - top) * fv;
    }

    /** Unexposed brightness of the view, from a coarse grid of rays (what auto-exposure meters). */
    double meter(CameraPose cam) {
        Vec3 o = cam.position();
        PolypSet ps = new PolypSet(plan.polyps, o.x(), o.y(), o.z());
        double[] hit = new double[8];
        double[] fold = new double[4];
        double[] d = new double[3];
        double sum = 0;
        int n = 0;
        int w = fov.width;
        int h = fov.height;
        for (int gy = 1; gy < 12; gy++) {
            for (int gx = 1; gx < 12; gx++) {
                int x = gx * w / 12;
                int y = gy * h / 12;
                int p = y * w + x;
                if (!fov.inside(p)) {
                    continue;
                }
                fov.direction(p, cam, d);
                shade(o, d[0], d[1], d[2], ps, hit, fold);
                sum += 0.3 * hit[0] + 0.59 * hit[1] + 0.11 * hit[2];
                n++;
            }
        }
        return n == 0 ? 1 : sum / n;
    }

    /** Surface id of one pixel (0 wall, k polyp k, -1 outside the field of view): the mask's geometry. */
    int surfaceAt(CameraPose cam, int x, int y) {
        int p = y * fov.width + x;
        if (!fov.inside(p)) {
            return -1;
        }
        Vec3 o = cam.position();
        double[] d = new double[3];
        fov.direction(p, cam, d);
        return surfaceId(o, d[0], d[1], d[2], new PolypSet(plan.polyps, o.x(), o.y(), o.z()), new double[4]);
    }
}
