package org.salistream.datasets.synth;

import java.util.List;

/**
 * A synthetic polyp: where it sits on the colon wall (angle around the axis, position along it), its
 * form, and the ellipsoids whose union is its surface (one to three lobes for a sessile polyp; a stalk
 * and a head for a pedunculated one, the stalk counted as polyp, as annotators do).
 *
 * @param id     1-based within its case
 * @param shape  sessile or pedunculated
 * @param theta  angle of the base around the colon axis, radians
 * @param z      position of the base along the axis
 * @param size   the polyp's largest semi-axis (tube radius = 1)
 * @param parts  the ellipsoids
 */
public record Polyp(int id, PolypShape shape, double theta, double z, double size, List<Ellipsoid> parts) {

    public Polyp {
        parts = List.copyOf(parts);
    }

    /** The base point on the unfolded tube wall. */
    public Vec3 base() {
        return new Vec3(Math.cos(theta), Math.sin(theta), z);
    }
}
