package org.salistream.datasets.synth;

/**
 * Where a ray first enters a polyp: the polyp's id (1-based, as in {@link Polyp#id()}), which ellipsoid of
 * the frame's {@link PolypSet} it enters (for the surface normal there) and how far along the unit ray.
 */
record PolypHit(int polyp, int ellipsoid, double distance) {}
