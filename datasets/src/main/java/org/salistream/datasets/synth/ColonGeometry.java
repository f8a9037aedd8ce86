package org.salistream.datasets.synth;

import java.util.List;

/**
 * The scene as seen from one endoscope position: the colon wall (a tube of radius {@code 1 - h(z, theta)}
 * with haustral folds {@code h}) and the polyps (unions of ellipsoids). A ray from the tip meets whichever is
 * nearer; the frame's colour and its mask both come from that one decision, so the mask is exact by
 * construction. Immutable once built, shared by the rendering threads.
 */
final class ColonGeometry {

    /** How far a ray is followed down the lumen. */
    static final double FAR = 60;

    private final FoldModel folds;
    private final PolypSet polyps;
    private final double ox;
    private final double oy;
    private final double oz;

    ColonGeometry(FoldModel folds, List<Polyp> polyps, Vec3 origin) {
        this.folds = folds;
        this.polyps = new PolypSet(polyps, origin);
        this.ox = origin.x();
        this.oy = origin.y();
        this.oz = origin.z();
    }

    /** True when the unit ray passes within {@code slack} radians of some polyp's bounding sphere. */
    boolean passesNearPolyp(double[] d, double slack) {
        return polyps.passesNear(d[0], d[1], d[2], slack);
    }

    /**
     * The surface the unit ray meets first: 0 for the wall, k for polyp k; the same decision as
     * {@link #intersect}. Cheap for most rays: they miss every polyp's bounding sphere and the wall is then
     * certain. {@code scratch} takes the wall's fold sample when it is needed.
     */
    int surfaceId(double dx, double dy, double dz, SurfacePoint scratch) {
        PolypHit hit = polyps.nearest(dx, dy, dz, Double.POSITIVE_INFINITY);
        if (hit == null) {
            return 0;
        }
        double t = hit.distance();
        double hx = ox + t * dx;
        double hy = oy + t * dy;
        if (hx * hx + hy * hy < folds.minRadiusSquared()) {
            // The distance from the axis along a ray is convex: a point inside the narrowest wall radius
            // comes before wallDistance's exit from the cylinder of radius 1 - h (>= that radius).
            return hit.polyp();
        }
        double tWall = wallDistance(folds, ox, oy, oz, dx, dy, dz, scratch);
        return t < tWall ? hit.polyp() : 0;
    }

    /** Fills {@code p}'s surface, distance, position, angle and unit normal for the unit ray d. */
    void intersect(double dx, double dy, double dz, SurfacePoint p) {
        double tWall = wallDistance(folds, ox, oy, oz, dx, dy, dz, p);
        PolypHit hit = polyps.nearest(dx, dy, dz, tWall);
        double t = hit == null ? tWall : hit.distance();
        double hx = ox + t * dx;
        double hy = oy + t * dy;
        p.distance = t;
        p.z = oz + t * dz;
        double rho = Math.sqrt(hx * hx + hy * hy);
        p.cos = hx / rho;
        p.sin = hy / rho;
        if (hit == null) {
            // The wall's fold height, slopes and angle come from wallDistance (taken where the ray meets the
            // unfolded tube: the refinement moves the point by less than the fold's scale).
            p.surface = 0;
            wallNormal(p, rho);
        } else {
            p.surface = hit.polyp();
            p.theta = FastMath.atan2(hy, hx);
            polyps.normal(hit, dx, dy, dz, p);
        }
        double nl = Math.sqrt(p.nx * p.nx + p.ny * p.ny + p.nz * p.nz);
        p.nx /= nl;
        p.ny /= nl;
        p.nz /= nl;
    }

    /**
     * Inward normal (not unit length) of the wall {@code r = 1 - h(z, theta)}:
     * {@code -rho_hat + (1/rho) r_theta theta_hat + r_z z_hat}. Far folds fade into a smooth tunnel (they
     * are smaller than a pixel there and would alias).
     */
    private static void wallNormal(SurfacePoint p, double rho) {
        double lod = 1 / (1 + p.distance * p.distance * 0.12);
        double rt = -p.fold[2] / rho * lod;
        double rz = -p.fold[1] * lod;
        p.nx = -p.cos - rt * p.sin;
        p.ny = -p.sin + rt * p.cos;
        p.nz = rz;
    }

    /**
     * Distance along a ray from inside the tube to the folded wall: the circular tube's exit, refined once
     * against the fold height there (one step: folds are gentle). Writes the fold sample and its angle into
     * {@code at}'s {@code fold} and {@code theta}. Used for drawing and by the geometry queries alike.
     */
    static double wallDistance(
            FoldModel folds, double ox, double oy, double oz, double dx, double dy, double dz, SurfacePoint at) {
        double a = dx * dx + dy * dy;
        if (a < 1e-12) {
            at.fold[0] = 0;
            at.fold[1] = 0;
            at.fold[2] = 0;
            at.theta = 0;
            return FAR;
        }
        double bq = ox * dx + oy * dy;
        double oo = ox * ox + oy * oy;
        double t0 = (-bq + Math.sqrt(Math.max(0, bq * bq - a * (oo - 1)))) / a;
        double theta = FastMath.atan2(oy + t0 * dy, ox + t0 * dx);
        folds.eval(oz + t0 * dz, theta, at.fold);
        at.theta = theta;
        double radius = 1 - at.fold[0];
        double t = (-bq + Math.sqrt(Math.max(0, bq * bq - a * (oo - radius * radius)))) / a;
        return Math.min(t, FAR);
    }
}
