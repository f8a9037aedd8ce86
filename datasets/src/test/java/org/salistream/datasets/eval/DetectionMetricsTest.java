package org.salistream.datasets.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The detection metrics on hand-made timelines: appearances per polyp with short gaps bridged, sensitivity,
 * first-detection latency at the frame rate, false alerts per minute of polyp-free video, and alerts left open
 * on polyp-free frames; and the generator's metadata read back.
 */
class DetectionMetricsTest {

    /** A timeline from a string: '.' no polyp, a digit the id of the visible polyp. */
    private static List<FrameTruth> timeline(String s) {
        List<FrameTruth> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.add(new FrameTruth(i, c == '.' ? Set.of() : Set.of(c - '0'), Set.of()));
        }
        return out;
    }

    @Test
    void aPolypOutOfViewForAFewFramesIsOneAppearance() {
        List<int[]> runs = DetectionMetrics.appearances(timeline("..111..111......2222"), 2);
        assertEquals(2, runs.size());
        assertEquals(2, runs.get(0)[0]);
        assertEquals(9, runs.get(0)[1]);
        assertEquals(
                3,
                DetectionMetrics.appearances(timeline("..111..111......2222"), 1)
                        .size());
        assertEquals(1, DetectionMetrics.appearances(timeline("1111"), 0).size(), "consecutive frames never split");
    }

    @Test
    void sensitivityLatencyAndFalseAlertsFollowTheTimeline() {
        // 50 frames at 25 fps: polyp 1 on frames 10-19, polyp 2 on 30-34; an alert 13-22, a false one 40-44
        // (raised by the window from 38), and polyp 2 missed.
        String truth = "..........1111111111..........22222...............";
        List<DetectionMetrics.Episode> alerts = List.of(
                new DetectionMetrics.Episode("p", 11, 13, 23),
                new DetectionMetrics.Episode("p", 38, 40, 45),
                new DetectionMetrics.Episode("other", 0, 0, 5));
        DetectionMetrics.Result r = DetectionMetrics.evaluate(Map.of("p", timeline(truth)), alerts, 25, 12);
        assertEquals(2, r.appearances());
        assertEquals(1, r.detected());
        assertEquals(0.5, r.sensitivity());
        assertEquals(List.of(120.0), r.latenciesMs(), "frames 10 -> 13 at 25 fps");
        assertEquals(2, r.alerts());
        assertEquals(1, r.falseAlerts());
        assertEquals(35, r.polypFreeFrames());
        assertEquals(35 / 25.0 / 60, r.polypFreeMinutes(), 1e-12);
        assertEquals(1 / (35 / 25.0 / 60), r.falseAlertsPerMinute(), 1e-9);
        assertEquals(3 + 5, r.polypFreeFramesAlerted(), "frames 20-22 after polyp 1 and 40-44");
    }

    @Test
    void anAlertAlreadyOpenDetectsTheNextPolypWithoutLatencyAndNeverClearedStaysOpen() {
        DetectionMetrics.Result r = DetectionMetrics.evaluate(
                Map.of("p", timeline("..11112222..")),
                List.of(new DetectionMetrics.Episode("p", 2, 3, Long.MAX_VALUE)),
                25,
                0);
        assertEquals(2, r.detected());
        assertEquals(List.of(40.0, 0.0), r.latenciesMs());
        assertEquals(0, r.falseAlerts());
        assertEquals(2, r.polypFreeFramesAlerted());
        assertThrows(IllegalArgumentException.class, () -> DetectionMetrics.evaluate(Map.of(), List.of(), 0, 1));
    }

    @Test
    void theGeneratorsMetadataGivesPolypIdsAndKinds() {
        List<FrameTruth> f = FrameTruth.parseMeta(
                Path.of("case1.tsv"),
                List.of(
                        "frame\tname\tpolyp_visible\tpolyp_pixels\tboxes\tdegradations",
                        "0\tcase1_0001\t1\t352\t1:136,166,153,184;3:76,138,87,147\t-",
                        "1\tcase1_0002\t0\t0\t-\tmotion_blur,bubbles"));
        assertEquals(Set.of(1, 3), f.get(0).polyps());
        assertEquals(Set.of(), f.get(0).degradations());
        assertEquals(Set.of("motion_blur", "bubbles"), f.get(1).degradations());
        assertEquals(false, f.get(1).polypVisible());
    }
}
