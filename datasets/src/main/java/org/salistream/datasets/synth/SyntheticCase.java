package org.salistream.datasets.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.salistream.datasets.GrayImage;

/**
 * One synthetic colonoscopy procedure (a SUN-SEG "case"): its colon, polyps, endoscope path and
 * low-quality segments are fixed at construction from the case's seed; {@link #render(int)} makes any
 * frame on demand, identically every time, and is safe to call from several threads.
 */
public final class SyntheticCase {

    private static final double EXPOSURE_TARGET = 0.3;

    private final SynthOptions options;
    private final int number;
    private final long seed;
    private final CasePlan plan;
    private final FieldOfView fov;
    private final ColonRenderer renderer;

    SyntheticCase(SynthOptions options, int number, long seed) {
        this.options = options;
        this.number = number;
        this.seed = seed;
        this.plan = new CasePlan(options, seed);
        ColonTexture tex = new ColonTexture(new SplittableRandom(seed ^ 0x7A3C1E5BL), plan.redness, plan.vesselDensity);
        this.fov = new FieldOfView(options.width(), options.height());
        this.renderer = new ColonRenderer(plan, tex, fov);
    }

    /** The case folder name, {@code case<N>}. */
    public String id() {
        return "case" + number;
    }

    /** The 1-based case number. */
    public int number() {
        return number;
    }

    public SynthOptions options() {
        return options;
    }

    public int frameCount() {
        return options.frames();
    }

    /** The polyps of this case (possibly none). */
    public List<Polyp> polyps() {
        return plan.polyps;
    }

    /** The endoscope pose of a frame. */
    public CameraPose camera(int frame) {
        checkFrame(frame);
        return plan.camera(frame, options.width(), options.height());
    }

    /** The low-quality kinds that apply to a frame. */
    public java.util.Set<Degradation> degradations(int frame) {
        checkFrame(frame);
        return java.util.Set.copyOf(plan.degradations(frame).keySet());
    }

    /** True when the centre of pixel (x, y) is inside the endoscope's field of view. */
    public boolean insideFieldOfView(int x, int y) {
        return fov.inside(y * options.width() + x);
    }

    /** The unit ray through the centre of pixel (x, y) of a frame, exactly as the renderer casts it. */
    public Vec3 pixelRay(int frame, int x, int y) {
        double[] d = new double[3];
        fov.direction(y * options.width() + x, camera(frame), d);
        return new Vec3(d[0], d[1], d[2]);
    }

    /** Distance along a ray (from inside the colon) to the folded colon wall, as the renderer computes it. */
    public double wallDistance(Vec3 origin, Vec3 dir) {
        return ColonGeometry.wallDistance(
                plan.folds, origin.x(), origin.y(), origin.z(), dir.x(), dir.y(), dir.z(), new SurfacePoint());
    }

    /** What pixel (x, y) of a frame shows: 0 the wall, k polyp k, -1 outside the field of view. */
    public int surfaceAt(int frame, int x, int y) {
        return renderer.surfaceAt(camera(frame), x, y);
    }

    /** All frames in order, rendered lazily. */
    public Stream<SyntheticFrame> frames() {
        return IntStream.range(0, frameCount()).mapToObj(this::render);
    }

    /** Renders one frame: image, exact mask and truth. */
    public SyntheticFrame render(int frame) {
        checkFrame(frame);
        int w = options.width();
        int h = options.height();
        int n = w * h;
        CameraPose cam = plan.camera(frame, w, h);
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        int[] surface = new int[n];
        renderer.render(cam, r, g, b, surface);

        byte[] mask = new byte[n];
        int polyps = plan.polyps.size();
        int[] count = new int[polyps + 1];
        int[][] box = new int[polyps + 1][];
        for (int i = 1; i <= polyps; i++) {
            box[i] = new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        }
        double lumSum = 0;
        int lumN = 0;
        for (int p = 0; p < n; p++) {
            int s = surface[p];
            if (s > 0) {
                mask[p] = (byte) 255;
                count[s]++;
                int x = p % w;
                int y = p / w;
                int[] bb = box[s];
                bb[0] = Math.min(bb[0], x);
                bb[1] = Math.min(bb[1], y);
                bb[2] = Math.max(bb[2], x);
                bb[3] = Math.max(bb[3], y);
            }
            if (s >= 0) {
                lumSum += Math.min(1.5, 0.3 * r[p] + 0.59 * g[p] + 0.11 * b[p]);
                lumN++;
            }
        }
        List<PolypView> views = new ArrayList<>();
        for (int i = 1; i <= polyps; i++) {
            Polyp pp = plan.polyps.get(i - 1);
            views.add(
                    count[i] > 0
                            ? new PolypView(i, pp.shape(), count[i], box[i][0], box[i][1], box[i][2], box[i][3])
                            : new PolypView(i, pp.shape(), 0, -1, -1, -1, -1));
        }

        // Auto-exposure meters the view; the low-quality effects follow.
        double exposure = EXPOSURE_TARGET / Math.max(1e-4, lumSum / Math.max(1, lumN));
        exposure = Math.min(exposure, 400);
        ImageEffects.gain(r, g, b, exposure);
        Map<Degradation, Double> effects = plan.degradations(frame);
        degrade(frame, effects, r, g, b, count, box);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        ImageEffects.toRgb(r, g, b, fov.weight, ImageEffects.mix(seed * 31 + frame), rgb);
        FrameInfo info = new FrameInfo(frame, cam, views, effects.keySet());
        return new SyntheticFrame(info, img, new GrayImage(w, h, mask));
    }

    /**
     * The frame's low-quality effects on the exposed planes: bubbles and fluid over the polyp (centred on its
     * bounding box {@code box[id]} when it shows, {@code count[id] > 0}), then over-exposure, defocus and
     * motion blur.
     */
    private void degrade(
            int frame, Map<Degradation, Double> effects, float[] r, float[] g, float[] b, int[] count, int[][] box) {
        int w = options.width();
        int h = options.height();
        Double bubbles = effects.get(Degradation.BUBBLES);
        if (bubbles != null) {
            CasePlan.Segment seg = plan.segment(Degradation.BUBBLES, frame);
            double cx = w / 2.0;
            double cy = h / 2.0;
            double extent = Math.max(w, h) / 4.0;
            int pi = seg.polyp() + 1;
            if (pi >= 1 && count[pi] > 0) {
                cx = (box[pi][0] + box[pi][2]) / 2.0;
                cy = (box[pi][1] + box[pi][3]) / 2.0;
                extent = Math.max(Math.max(box[pi][2] - box[pi][0], box[pi][3] - box[pi][1]) * 0.6, w / 12.0);
            }
            ImageEffects.bubbles(r, g, b, w, h, cx, cy, extent, seg.seed(), frame - seg.start(), bubbles);
        }
        Double over = effects.get(Degradation.OVER_EXPOSURE);
        if (over != null) {
            ImageEffects.gain(r, g, b, 1 + 2.8 * over);
            ImageEffects.bloom(r, g, b, w, h, Math.max(1, w / 40), 0.7 * over);
        }
        Double defocus = effects.get(Degradation.DEFOCUS);
        if (defocus != null) {
            ImageEffects.defocus(r, g, b, w, h, (int) Math.max(1, Math.round(defocus * w / 80.0)));
        }
        Double motion = effects.get(Degradation.MOTION_BLUR);
        if (motion != null) {
            CasePlan.Segment seg = plan.segment(Degradation.MOTION_BLUR, frame);
            double dir = seg.direction() + 0.15 * (frame - seg.start());
            ImageEffects.motionBlur(r, g, b, w, h, Math.cos(dir), Math.sin(dir), motion * w / 13.0, motion * w / 110.0);
        }
    }

    private void checkFrame(int frame) {
        if (frame < 0 || frame >= frameCount()) {
            throw new IndexOutOfBoundsException("frame " + frame + " of a " + frameCount() + "-frame case");
        }
    }

    @Override
    public String toString() {
        return id()
                + Arrays.toString(
                        plan.polyps.stream().map(p -> p.shape().name()).toArray());
    }
}
