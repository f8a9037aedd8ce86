package org.salistream.datasets.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers a computer-aided detection (CADe) system is judged by, from its alert episodes and the ground
 * truth of each frame:
 * <ul>
 *   <li><b>sensitivity per polyp appearance</b>: an appearance is a run of frames in which one polyp is visible,
 *       gaps of at most {@code mergeGap} frames bridged (a polyp that leaves the view for a moment is the
 *       same appearance); it is detected when an alert is open on at least one of its frames;</li>
 *   <li><b>first-detection latency</b>: from the appearance's first visible frame to the first of its frames
 *       with an alert open, in milliseconds at the source frame rate (0 when an alert was already open);</li>
 *   <li><b>false alerts per minute of polyp-free video</b>: alert episodes whose whole span (from the first
 *       frame of the window that raised them to the frame that cleared them) holds no frame with a visible
 *       polyp, per minute of frames without a visible polyp;</li>
 *   <li>the share of polyp-free frames with an alert open (alerts that do not clear when the polyp is gone).</li>
 * </ul>
 * An alert is open on frame f when it appeared at or before f and had not cleared at f (cleared on frame c:
 * open up to c - 1).
 */
public final class DetectionMetrics {

    /** The default gap bridged within one appearance: half a second at 25 fps. */
    public static final int DEFAULT_MERGE_GAP = 12;

    /**
     * One alert episode of a procedure.
     *
     * @param procedure the procedure id
     * @param triggerFirst the first frame of the window that raised the alert
     * @param appeared the frame at which it was raised
     * @param cleared the frame at which it cleared, or {@link Long#MAX_VALUE} when it never did
     */
    public record Episode(String procedure, long triggerFirst, long appeared, long cleared) {
        boolean openAt(long frame) {
            return frame >= appeared && frame < cleared;
        }
    }

    /**
     * The result.
     *
     * @param appearances polyp appearances in the ground truth
     * @param detected those with an alert while visible
     * @param latenciesMs the first-detection latency of each detected appearance
     * @param alerts alert episodes in all
     * @param falseAlerts episodes that never overlapped a visible polyp
     * @param polypFreeMinutes minutes of frames without a visible polyp
     * @param polypFreeFramesAlerted polyp-free frames with an alert open
     * @param polypFreeFrames polyp-free frames
     */
    public record Result(
            int appearances,
            int detected,
            List<Double> latenciesMs,
            int alerts,
            int falseAlerts,
            double polypFreeMinutes,
            int polypFreeFramesAlerted,
            int polypFreeFrames) {

        /** Detected appearances over all appearances (NaN without any). */
        public double sensitivity() {
            return appearances == 0 ? Double.NaN : (double) detected / appearances;
        }

        /** The median first-detection latency (NaN when nothing was detected). */
        public double medianLatencyMs() {
            if (latenciesMs.isEmpty()) {
                return Double.NaN;
            }
            List<Double> s = new ArrayList<>(latenciesMs);
            s.sort(null);
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }

        /** The mean first-detection latency (NaN when nothing was detected). */
        public double meanLatencyMs() {
            return latenciesMs.stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(Double.NaN);
        }

        /** False alerts per minute of polyp-free video (NaN without polyp-free video). */
        public double falseAlertsPerMinute() {
            return polypFreeMinutes > 0 ? falseAlerts / polypFreeMinutes : Double.NaN;
        }

        /** The share of polyp-free frames with an alert open (NaN without such frames). */
        public double alertedPolypFreeShare() {
            return polypFreeFrames == 0 ? Double.NaN : (double) polypFreeFramesAlerted / polypFreeFrames;
        }

        /** Lines for people. */
        public String format() {
            return String.format(
                    Locale.ROOT,
                    "  sensitivity per polyp appearance: %d of %d (%.1f%%)%n"
                            + "  first-detection latency: median %.0f ms, mean %.0f ms%n"
                            + "  false alerts: %d of %d alerts, %.2f per minute of polyp-free video (%.2f min)%n"
                            + "  alert open on %d of %d polyp-free frames (%.1f%%)%n",
                    detected,
                    appearances,
                    100 * sensitivity(),
                    medianLatencyMs(),
                    meanLatencyMs(),
                    falseAlerts,
                    alerts,
                    falseAlertsPerMinute(),
                    polypFreeMinutes,
                    polypFreeFramesAlerted,
                    polypFreeFrames,
                    100 * alertedPolypFreeShare());
        }
    }

    private DetectionMetrics() {}

    /**
     * Scores alert episodes against the truth of each procedure's frames.
     *
     * @param truth the frames of each procedure, in order (frame index = position)
     * @param episodes the alert episodes (of these procedures; others are ignored)
     * @param fps the source frame rate
     * @param mergeGap gaps of at most this many frames within one polyp's visibility are bridged
     */
    public static Result evaluate(
            Map<String, List<FrameTruth>> truth, List<Episode> episodes, double fps, int mergeGap) {
        if (!(fps > 0) || mergeGap < 0) {
            throw new IllegalArgumentException(
                    "fps must be positive and the merge gap not negative, got " + fps + " and " + mergeGap);
        }
        int appearances = 0;
        int detected = 0;
        List<Double> latencies = new ArrayList<>();
        int alerts = 0;
        int falseAlerts = 0;
        int free = 0;
        int freeAlerted = 0;
        for (Map.Entry<String, List<FrameTruth>> p : truth.entrySet()) {
            List<FrameTruth> frames = p.getValue();
            List<Episode> mine = episodes.stream()
                    .filter(e -> e.procedure().equals(p.getKey()))
                    .toList();
            for (int[] run : appearances(frames, mergeGap)) {
                appearances++;
                for (int f = run[0]; f <= run[1]; f++) {
                    if (open(mine, f)) {
                        detected++;
                        latencies.add((f - run[0]) * 1000.0 / fps);
                        break;
                    }
                }
            }
            for (FrameTruth f : frames) {
                if (!f.polypVisible()) {
                    free++;
                    if (open(mine, f.index())) {
                        freeAlerted++;
                    }
                }
            }
            for (Episode e : mine) {
                alerts++;
                long last = Math.min(e.cleared(), frames.size() - 1L);
                boolean overlaps = false;
                for (long f = Math.max(0, e.triggerFirst()); f <= last && !overlaps; f++) {
                    overlaps = frames.get((int) f).polypVisible();
                }
                if (!overlaps) {
                    falseAlerts++;
                }
            }
        }
        return new Result(appearances, detected, latencies, alerts, falseAlerts, free / fps / 60, freeAlerted, free);
    }

    private static boolean open(List<Episode> episodes, long frame) {
        for (Episode e : episodes) {
            if (e.openAt(frame)) {
                return true;
            }
        }
        return false;
    }

    /** The appearances of a procedure: per polyp id, runs of visible frames with short gaps bridged. */
    static List<int[]> appearances(List<FrameTruth> frames, int mergeGap) {
        Map<Integer, List<int[]>> byPolyp = new TreeMap<>();
        for (FrameTruth f : frames) {
            for (int id : f.polyps()) {
                List<int[]> runs = byPolyp.computeIfAbsent(id, k -> new ArrayList<>());
                int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (last != null && f.index() - last[1] - 1 <= mergeGap) {
                    last[1] = f.index();
                } else {
                    runs.add(new int[] {f.index(), f.index()});
                }
            }
        }
        List<int[]> out = new ArrayList<>();
        byPolyp.values().forEach(out::addAll);
        out.sort((a, b) -> Integer.compare(a[0], b[0]));
        return out;
    }
}
