package org.salistream.datasets.synth;

/**
 * An ellipsoid in the world frame: {@code center + u*a*e1 + v*b*e2 + w*c*e3} with {@code u^2+v^2+w^2 <= 1}
 * ({@code e1, e2, e3} orthonormal). Polyps are unions of these: the geometry from which both the frame
 * and its mask are made.
 */
public record Ellipsoid(Vec3 center, Vec3 e1, Vec3 e2, Vec3 e3, double a, double b, double c) {

    /**
     * Distance along the ray {@code origin + t*dir} ({@code dir} need not be unit) to where it enters the
     * ellipsoid, or NaN when it misses it or the entry is behind the origin.
     */
    public double entry(Vec3 origin, Vec3 dir) {
        Vec3 o = origin.minus(center);
        double ox = o.dot(e1) / a;
        double oy = o.dot(e2) / b;
        double oz = o.dot(e3) / c;
        double dx = dir.dot(e1) / a;
        double dy = dir.dot(e2) / b;
        double dz = dir.dot(e3) / c;
        double qa = dx * dx + dy * dy + dz * dz;
        double qb = ox * dx + oy * dy + oz * dz;
        double qc = ox * ox + oy * oy + oz * oz - 1;
        double disc = qb * qb - qa * qc;
        if (disc < 0) {
            return Double.NaN;
        }
        double t = (-qb - Math.sqrt(disc)) / qa;
        return t > 0 ? t : Double.NaN;
    }

    /** True when the point lies inside or on the ellipsoid. */
    public boolean contains(Vec3 p) {
        Vec3 o = p.minus(center);
        double u = o.dot(e1) / a;
        double v = o.dot(e2) / b;
        double w = o.dot(e3) / c;
        return u * u + v * v + w * w <= 1;
    }

    /** Radius of the smallest sphere about the centre that holds the ellipsoid. */
    public double boundingRadius() {
        return Math.max(a, Math.max(b, c));
    }
}
