package org.salistream.datasets.synth;

import java.util.stream.IntStream;

/**
 * Ray casting of one frame: for every pixel of the endoscope's field of view, the ray from the tip meets the
 * scene's nearest surface ({@link ColonGeometry}), whose colour {@link SurfaceShader} gives and whose kind is
 * the pixel's mask bit. Both come from the same intersection, so the mask is exact by construction.
 *
 * <p>Output is linear radiance (before exposure and tone mapping), three float planes, and a per-pixel
 * surface id (0 wall, k polyp k, -1 outside the field of view). Rows are split across threads; nothing in
 * the loop is random, so the result does not depend on the thread count.
 */
final class ColonRenderer {

    private final CasePlan plan;
    private final FieldOfView fov;
    private final SurfaceShader shader;

    ColonRenderer(CasePlan plan, ColonTexture tex, FieldOfView fov) {
        this.plan = plan;
        this.fov = fov;
        this.shader = new SurfaceShader(tex, plan.polyps.size(), plan.seed);
    }

    /** Radiance and surface id of the 2x2 pixel blocks, shaded at the blocks' centres. */
    private static final class Blocks {
        final int width;
        final int height;
        final float[] r;
        final float[] g;
        final float[] b;
        final int[] surface;
        /** Whether the block's ray passes near a polyp: its pixels then decide their surface themselves. */
        final boolean[] nearPolyp;

        Blocks(int width, int height) {
            this.width = width;
            this.height = height;
            int n = width * height;
            r = new float[n];
            g = new float[n];
            b = new float[n];
            surface = new int[n];
            nearPolyp = new boolean[n];
        }

        /** True when the four blocks from q00 (q00, right, below, below right) all show surface id. */
        boolean allShow(int q00, int id) {
            int q10 = q00 + width;
            return surface[q00] == id && surface[q00 + 1] == id && surface[q10] == id && surface[q10 + 1] == id;
        }

        /** One plane of the four blocks from q00, bilinear at (tx, ty) between their centres. */
        float interpolate(float[] plane, int q00, float tx, float ty) {
            int q10 = q00 + width;
            return Interpolation.bilinear(plane[q00], plane[q00 + 1], plane[q10], plane[q10 + 1], tx, ty);
        }
    }

    /**
     * Renders into the planes (linear radiance, unexposed) and the surface ids. Shading is done once per
     * 2x2 block (at the block's centre) and interpolated, except where a pixel's surface differs from
     * its neighbouring blocks' (polyp outlines): those pixels are shaded on their own, so colour edges
     * follow the mask exactly. Surface ids are always decided per pixel.
     */
    void render(CameraPose cam, float[] r, float[] g, float[] b, int[] surface) {
        ColonGeometry scene = new ColonGeometry(plan.folds, plan.polyps, cam.position());
        Blocks blocks = new Blocks((fov.width + 1) / 2, (fov.height + 1) / 2);
        // A pixel's ray is within 1.6 pixels (angle 1.6 * radiansPerPixel) of one of its four block centres'
        // rays; a block flagged "near" has its ray within that angle of a polyp's bounding sphere.
        double slack = 3 * cam.radiansPerPixel();
        IntStream.range(0, blocks.height).parallel().forEach(by -> shadeBlockRow(by, cam, scene, slack, blocks));
        IntStream.range(0, fov.height).parallel().forEach(y -> fillRow(y, cam, scene, blocks, r, g, b, surface));
    }

    /** One row of blocks: each shaded at its centre, with its surface and whether it passes near a polyp. */
    private void shadeBlockRow(int by, CameraPose cam, ColonGeometry scene, double slack, Blocks blocks) {
        SurfacePoint hit = new SurfacePoint();
        double[] d = new double[3];
        for (int bx = 0; bx < blocks.width; bx++) {
            fov.directionAt(2 * bx + 1.0, 2 * by + 1.0, cam, d);
            int q = by * blocks.width + bx;
            scene.intersect(d[0], d[1], d[2], hit);
            shader.shade(hit, d[0], d[1], d[2], blocks.r, blocks.g, blocks.b, q);
            blocks.surface[q] = hit.surface;
            blocks.nearPolyp[q] = scene.passesNearPolyp(d, slack);
        }
    }

    /** One row of pixels: from the blocks where they agree on the surface, else shaded on its own. */
    private void fillRow(
            int y, CameraPose cam, ColonGeometry scene, Blocks blocks, float[] r, float[] g, float[] b, int[] surface) {
        SurfacePoint hit = new SurfacePoint();
        double[] d = new double[3];
        int bw = blocks.width;
        double fy = (y - 0.5) / 2;
        int by0 = Math.max(0, Math.min(blocks.height - 2, (int) Math.floor(fy)));
        float ty = (float) Math.max(0, Math.min(1, fy - by0));
        for (int x = 0; x < fov.width; x++) {
            int p = y * fov.width + x;
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
            int q10 = q00 + bw;
            boolean[] near = blocks.nearPolyp;
            boolean exact = near[q00] || near[q00 + 1] || near[q10] || near[q10 + 1];
            int id = 0;
            if (exact) {
                fov.direction(p, cam, d);
                id = scene.surfaceId(d[0], d[1], d[2], hit);
            }
            surface[p] = id;
            if (blocks.allShow(q00, id)) {
                r[p] = blocks.interpolate(blocks.r, q00, tx, ty);
                g[p] = blocks.interpolate(blocks.g, q00, tx, ty);
                b[p] = blocks.interpolate(blocks.b, q00, tx, ty);
            } else {
                if (!exact) {
                    fov.direction(p, cam, d);
                }
                scene.intersect(d[0], d[1], d[2], hit);
                shader.shade(hit, d[0], d[1], d[2], r, g, b, p);
            }
        }
    }

    /** Surface id of one pixel (0 wall, k polyp k, -1 outside the field of view): the mask's geometry. */
    int surfaceAt(CameraPose cam, int x, int y) {
        int p = y * fov.width + x;
        if (!fov.inside(p)) {
            return -1;
        }
        double[] d = new double[3];
        fov.direction(p, cam, d);
        return new ColonGeometry(plan.folds, plan.polyps, cam.position())
                .surfaceId(d[0], d[1], d[2], new SurfacePoint());
    }
}
