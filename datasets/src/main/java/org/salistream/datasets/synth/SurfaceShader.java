package org.salistream.datasets.synth;

import java.util.SplittableRandom;

/**
 * The colour of a surface point: its albedo from the mucosa texture (polyps reuse it, their surface is
 * mucosa too, slightly tinted) lit by the light at the endoscope tip: Lambertian with inverse-square falloff
 * and a Blinn-like specular on a bump-perturbed normal, which gives the wet glints. Output is linear radiance,
 * before exposure and tone mapping. Nothing here is random per pixel, so the result does not depend on the
 * thread count.
 */
final class SurfaceShader {

    private static final double BUMP = 5.0;

    /**
     * How a surface reflects: a tint on the texture's albedo, the strength of its glints, how finely the bump
     * texture is repeated on it, and whether it is smooth (tighter glints everywhere) or wet only in places
     * (glints where the mucus film is thick).
     */
    private record Material(double red, double green, double blue, double specular, double bumpScale, boolean smooth) {}

    private static final Material WALL = new Material(1, 1, 1, 1.4, 1, false);
    private static final double POLYP_SPECULAR = 0.8;
    private static final double POLYP_BUMP_SCALE = 3;

    private final ColonTexture tex;
    /** Per polyp (id - 1). */
    private final Material[] polyps;

    SurfaceShader(ColonTexture tex, int polypCount, long caseSeed) {
        this.tex = tex;
        polyps = new Material[polypCount];
        SplittableRandom r = new SplittableRandom(caseSeed ^ 0x5DEECE66DL);
        for (int i = 0; i < polypCount; i++) {
            double redder = r.nextDouble();
            // Close to the mucosa: a little redder (adenoma) or a little paler (hyperplastic).
            polyps[i] = redder > 0.5
                    ? new Material(1.04, 0.78 + 0.08 * r.nextDouble(), 0.82, POLYP_SPECULAR, POLYP_BUMP_SCALE, true)
                    : new Material(
                            0.97,
                            0.96 + 0.08 * r.nextDouble(),
                            1.0 + 0.06 * r.nextDouble(),
                            POLYP_SPECULAR,
                            POLYP_BUMP_SCALE,
                            true);
        }
    }

    /**
     * Radiance of the point {@code p} seen along the unit ray d, written as floats into the planes at
     * {@code at}; {@code p} gets its albedo.
     */
    void shade(SurfacePoint p, double dx, double dy, double dz, float[] r, float[] g, float[] b, int at) {
        Material m = p.surface == 0 ? WALL : polyps[p.surface - 1];
        double ndv = -(p.nx * dx + p.ny * dy + p.nz * dz);
        if (ndv < 0) {
            ndv = 0;
        }
        // Texture coordinates on the unrolled wall, and a mip level for the lookup's footprint.
        double u = (p.theta + Math.PI) * (ColonTexture.TU / (2 * Math.PI));
        double v = p.z * (ColonTexture.TV / ColonTexture.Z_SPAN);
        double footprint = p.distance * 0.004 / Math.max(0.12, ndv) * ColonTexture.TV / ColonTexture.Z_SPAN;
        tex.albedo(ColonTexture.mipLevel(footprint), u, v, p.albedo);
        double s = specular(p, dx, dy, dz, ColonTexture.texel(u * m.bumpScale(), v * m.bumpScale()), m);
        // Inverse-square falloff, a little steeper far away (scattering in the lumen), and "wrapped"
        // diffuse light: the endoscope's two light guides and inter-reflection soften the terminator.
        double t = p.distance;
        double falloff = 1.0 / (t * t * (1 + 0.08 * t) + 0.03);
        double diffuse = 0.18 + 0.82 * ndv;
        double light = falloff * diffuse;
        double glint = falloff * m.specular() * s;
        r[at] = (float) (p.albedo[0] * m.red() * light + glint);
        g[at] = (float) (p.albedo[1] * m.green() * light + glint * 0.97);
        b[at] = (float) (p.albedo[2] * m.blue() * light + glint * 0.93);
    }

    /**
     * The specular term before falloff: the texel's height-field slopes (around and along the axis) perturb
     * the normal, and the cosine between the perturbed normal and the view is raised to the 64th power (the
     * 128th on a smooth polyp; on the wall, weighted by the mucus film).
     */
    private double specular(SurfacePoint p, double dx, double dy, double dz, int texel, Material m) {
        double bu = tex.slopeU[texel] * BUMP;
        double bv = tex.slopeV[texel] * BUMP;
        double bx = p.nx + bu * -p.sin;
        double by = p.ny + bu * p.cos;
        double bz = p.nz + bv;
        double bl = Math.sqrt(bx * bx + by * by + bz * bz);
        double sdv = -(bx * dx + by * dy + bz * dz) / bl;
        double s = sdv > 0 ? sdv : 0;
        for (int i = 0; i < 6; i++) {
            s *= s; // ^64 after six squarings
        }
        return m.smooth() ? s * s : s * tex.wet[texel];
    }
}
