package org.salistream.datasets.synth;

/**
 * Where a ray first meets the scene and what shading needs to know there. {@link ColonGeometry#intersect}
 * fills the geometry, {@link SurfaceShader} the albedo. Mutable and reused, one per rendering thread and ray
 * after ray, because the inner loop casts a ray per pixel; an intersection writes every geometric field.
 */
final class SurfacePoint {

    /** 0 the colon wall, k polyp k. */
    int surface;
    /** Distance from the endoscope tip along the unit ray. */
    double distance;
    /** Position along the colon axis. */
    double z;
    /** Angle around the colon axis, in [-pi, pi]: with {@link #z}, where the point lies on the texture. */
    double theta;
    /** Cosine and sine of the point's own angle about the axis: the outward radial direction. */
    double cos;

    double sin;
    /** Unit surface normal, facing into the lumen. */
    double nx;

    double ny;
    double nz;
    /**
     * The fold height and its slopes ({@link FoldModel#eval}'s {@code [h, dh/dz, dh/dtheta]}) where the ray
     * meets the wall; written by every wall-distance query.
     */
    final double[] fold = new double[3];
    /** Linear RGB of the mucosa at the point, from the texture. */
    final double[] albedo = new double[3];
}
