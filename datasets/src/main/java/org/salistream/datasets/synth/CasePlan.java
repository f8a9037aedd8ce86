package org.salistream.datasets.synth;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Everything random about one case, drawn once from the case's seed: the colon's folds, the polyps,
 * the endoscope's path and the low-quality segments. Every per-frame quantity is a deterministic function
 * of the frame index, so frames can be rendered in any order (and in parallel).
 *
 * <p>The path: the timeline is split into one inspection window per polyp. In a window the endoscope
 * comes from about 2.5 tube radii before the polyp to about one radius (zoom by approach), turns toward it,
 * and backs off a little; the lateral position, roll, lens scale and a hand tremor drift smoothly. An
 * OUT_OF_VIEW segment pushes the tip past the polyp while it looks down the lumen, so the polyp is behind
 * the lens for a few frames, then comes back.
 */
final class CasePlan {

    final long seed;
    final int frames;
    final List<Polyp> polyps = new ArrayList<>();
    final FoldModel folds;
    final double redness;
    final double vesselDensity;
    private final double[] windowStart;
    private final double[] dFar;
    private final double[] dNear;
    private final double[] passDistance;
    private final double lateral;
    private final double[] phase = new double[8];
    private final double baseFov;
    final List<Segment> segments = new ArrayList<>();

    /** A low-quality segment: kind, first frame, length, and its own random parameters. */
    record Segment(Degradation kind, int start, int length, int polyp, long seed, double direction) {
        /** Severity in (0, 1] inside the segment (rising and falling), 0 outside. */
        double severity(int frame) {
            if (frame < start || frame >= start + length) {
                return 0;
            }
            double u = (frame - start + 0.5) / length;
            return 0.35 + 0.65 * Math.sin(Math.PI * u);
        }
    }

    CasePlan(SynthOptions o, long seed) {
        this.seed = seed;
        this.frames = o.frames();
        SplittableRandom rnd = new SplittableRandom(seed);
        folds = new FoldModel(rnd);
        redness = rnd.nextDouble();
        vesselDensity = rnd.nextDouble();
        lateral = 0.15 + 0.15 * rnd.nextDouble();
        for (int i = 0; i < phase.length; i++) {
            phase[i] = rnd.nextDouble() * 2 * Math.PI;
        }
        baseFov = Math.toRadians(66 + 8 * rnd.nextDouble()); // half-angle over the half diagonal
        int count = o.minPolyps() + rnd.nextInt(o.maxPolyps() - o.minPolyps() + 1);
        windowStart = new double[count + 1];
        dFar = new double[count];
        dNear = new double[count];
        passDistance = new double[count];
        double z = 3.0;
        for (int i = 0; i < count; i++) {
            windowStart[i] = (double) i / count;
            double size = o.minPolypSize() + (o.maxPolypSize() - o.minPolypSize()) * rnd.nextDouble();
            dFar[i] = 2.2 + 0.8 * rnd.nextDouble();
            dNear[i] = 0.35 + 0.45 * rnd.nextDouble() + size;
            if (i > 0) {
                z += dFar[i] - approachDistance(i - 1, 1.0);
            }
            double theta = rnd.nextDouble() * 2 * Math.PI;
            double zBase = folds.valleyNear(z, theta);
            PolypShape shape = rnd.nextDouble() < 0.65 ? PolypShape.SESSILE : PolypShape.PEDUNCULATED;
            Polyp p = PolypFactory.make(i + 1, shape, theta, zBase, size, folds, rnd);
            polyps.add(p);
            passDistance[i] = -(PolypFactory.axialExtent(p) + 0.45);
            z = zBase;
        }
        windowStart[count] = 1.0;
        placeSegments(o, rnd);
    }

    private void placeSegments(SynthOptions o, SplittableRandom rnd) {
        for (Degradation kind : Degradation.values()) {
            if (!o.degradations().contains(kind)) {
                continue;
            }
            boolean needsPolyp = kind == Degradation.OUT_OF_VIEW || kind == Degradation.BUBBLES;
            if (kind == Degradation.OUT_OF_VIEW && polyps.isEmpty()) {
                continue; // nothing to leave the view
            }
            for (int s = 0; s < o.segmentsPerKind(); s++) {
                int polyp = polyps.isEmpty() ? -1 : rnd.nextInt(polyps.size());
                int lo;
                int hi;
                if (needsPolyp && polyp >= 0) {
                    // The middle of the polyp's window, where the endoscope looks at it.
                    lo = (int) Math.ceil(frameAt(polyp, 0.3));
                    hi = (int) Math.floor(frameAt(polyp, 0.85));
                } else {
                    lo = 1;
                    hi = frames - 2;
                }
                int minLen = kind == Degradation.OUT_OF_VIEW ? 7 : 3;
                int room = hi - lo + 1;
                if (room < Math.min(minLen, 3)) {
                    continue;
                }
                int maxLen = kind == Degradation.OUT_OF_VIEW ? 14 : 9;
                int len = Math.min(room, minLen + rnd.nextInt(maxLen - minLen + 1));
                int start = lo + rnd.nextInt(room - len + 1);
                segments.add(new Segment(kind, start, len, polyp, rnd.nextLong(), rnd.nextDouble() * 2 * Math.PI));
            }
        }
    }

    private double frameAt(int polyp, double u) {
        double t = windowStart[polyp] + u * (windowStart[polyp + 1] - windowStart[polyp]);
        return t * (frames - 1);
    }

    /** Severity per kind for one frame (absent kinds do not apply). */
    Map<Degradation, Double> degradations(int frame) {
        Map<Degradation, Double> out = new EnumMap<>(Degradation.class);
        for (Segment s : segments) {
            double v = s.severity(frame);
            if (v > 0) {
                out.merge(s.kind(), v, Math::max);
            }
        }
        return out;
    }

    Segment segment(Degradation kind, int frame) {
        for (Segment s : segments) {
            if (s.kind() == kind && s.severity(frame) > 0) {
                return s;
            }
        }
        return null;
    }

    /** Axial distance from the tip to polyp i at window-local time u (approach, then a slight back-off). */
    private double approachDistance(int i, double u) {
        double a = smoothstep(0.0, 0.62, u) - 0.25 * smoothstep(0.7, 1.0, u);
        return dFar[i] + (dNear[i] - dFar[i]) * a;
    }

    CameraPose camera(int frame, int width, int height) {
        double t = frames == 1 ? 0 : (double) frame / (frames - 1);
        Vec3 pos;
        Vec3 forward;
        if (polyps.isEmpty()) {
            pos = new Vec3(0, 0, 0.05 * frame);
            forward = null;
        } else {
            // Blend the windows' camera states across their boundaries (a partition of unity in t).
            Vec3 p = new Vec3(0, 0, 0);
            Vec3 f = new Vec3(0, 0, 0);
            for (int i = 0; i < polyps.size(); i++) {
                double w = (i == 0 ? 1 : smoothstep(windowStart[i] - BLEND, windowStart[i] + BLEND, t))
                        * (i == polyps.size() - 1
                                ? 1
                                : 1 - smoothstep(windowStart[i + 1] - BLEND, windowStart[i + 1] + BLEND, t));
                if (w <= 0) {
                    continue;
                }
                Vec3[] st = windowState(i, t, frame);
                p = p.plus(st[0].times(w));
                f = f.plus(st[1].times(w));
            }
            pos = p;
            forward = f.normalized();
        }
        if (forward == null) {
            // No polyp: cruise down the lumen with the tip wandering across it.
            pos = pos.plus(new Vec3(
                    0.12 * Math.sin(2 * Math.PI * 0.9 * t + phase[1]),
                    0.12 * Math.sin(2 * Math.PI * 1.1 * t + phase[2]),
                    0));
            forward = ahead(pos, t);
        }
        // Hand tremor: a few milliradians of quick shake.
        double tremor = 0.012;
        forward = forward.plus(new Vec3(
                        tremor * Math.sin(frame * 1.7 + phase[5]), tremor * Math.sin(frame * 2.3 + phase[6]), 0))
                .normalized();
        double roll = 0.9 * Math.sin(2 * Math.PI * 0.35 * t + phase[7]) + phase[7];
        Vec3 worldUp = new Vec3(Math.cos(roll), Math.sin(roll), 0);
        Vec3 right = worldUp.cross(forward);
        if (right.length() < 1e-6) {
            right = new Vec3(1, 0, 0);
        }
        right = right.normalized();
        Vec3 down = forward.cross(right).normalized();
        double zoom = 1 + 0.08 * Math.sin(2 * Math.PI * 0.5 * t + phase[2]);
        double halfDiag = Math.sqrt((double) width * width + (double) height * height) / 2;
        return new CameraPose(pos, right, down, forward, baseFov / zoom / halfDiag);
    }

    private static final double BLEND = 0.04;

    /** Position and viewing direction while inspecting polyp i, at timeline position t. */
    private Vec3[] windowState(int i, double t, int frame) {
        double u = Math.max(0, Math.min(1, (t - windowStart[i]) / (windowStart[i + 1] - windowStart[i])));
        Polyp p = polyps.get(i);
        double d = approachDistance(i, u);
        double look = 0.93 * smoothstep(0.0, 0.3, u);
        Segment away = segment(Degradation.OUT_OF_VIEW, frame);
        if (away != null && away.polyp() == i) {
            double s = (frame - away.start() + 0.5) / away.length();
            double k = smoothstep(0.0, 0.3, s) * (1 - smoothstep(0.7, 1.0, s));
            d = d + (passDistance[i] - d) * k;
            look = look * (1 - k);
        }
        // Far away the tip keeps to the lumen's middle, opposite the polyp; close in it moves over toward the
        // polyp's side of the wall, so the wall fills the view and the lumen slides to an edge.
        double near = smoothstep(dFar[i], dNear[i], d);
        double off = lateral * (1 - 2 * near) + 0.05 * Math.sin(2 * Math.PI * 1.3 * t + phase[0]);
        double side = p.theta() + Math.PI;
        Vec3 pos = new Vec3(off * Math.cos(side), off * Math.sin(side), p.z() - d)
                .plus(new Vec3(
                        0.06 * Math.sin(2 * Math.PI * 0.9 * t + phase[1]),
                        0.06 * Math.sin(2 * Math.PI * 1.1 * t + phase[2]),
                        0));
        Vec3 toPolyp = PolypFactory.aimPoint(p).minus(pos).normalized();
        Vec3 forward = ahead(pos, t).times(1 - look).plus(toPolyp.times(look)).normalized();
        return new Vec3[] {pos, forward};
    }

    /** Down the lumen, with a slow wander of the gaze. */
    private Vec3 ahead(Vec3 pos, double t) {
        return new Vec3(
                        0.9 * Math.sin(2 * Math.PI * 0.7 * t + phase[3]),
                        0.9 * Math.sin(2 * Math.PI * 0.6 * t + phase[4]),
                        pos.z() + 4)
                .minus(pos)
                .normalized();
    }

    static double smoothstep(double a, double b, double x) {
        double t = Math.max(0, Math.min(1, (x - a) / (b - a)));
        return t * t * (3 - 2 * t);
    }
}
