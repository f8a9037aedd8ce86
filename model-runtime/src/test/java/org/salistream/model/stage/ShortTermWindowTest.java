package org.salistream.model.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.salistream.model.NeighborMode;

/**
 * Which frames the short-term window pairs, in which order and with which ordinals: {@code next} mode as
 * the published loader (frame t with t+1, the last with t-1, a lone frame with itself), {@code previous}
 * mode causally (t with t-1, the first with itself). Indices are the caller's (here 10, 20, 30, ...), so
 * that they cannot be confused with ordinals.
 */
class ShortTermWindowTest {

    private static final List<FrameFeatures> F = new ArrayList<>();

    static {
        for (int i = 0; i < 6; i++) {
            F.add(FrameFeaturesTest.features(1, 4, 4, i));
        }
    }

    /** Runs n frames (indices 10, 20, ...) and the end; returns "index:ordinal:current/neighbour" strings. */
    private static List<String> run(NeighborMode mode, int n, List<Integer> readyAfterEach) {
        ShortTermWindow w = ShortTermWindow.start(mode);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ShortTermWindow.Step s = w.accept(10L * (i + 1), F.get(i));
            w = s.window();
            readyAfterEach.add(s.ready().size());
            s.ready().forEach(r -> out.add(describe(r)));
        }
        ShortTermWindow.Step end = w.finish();
        readyAfterEach.add(end.ready().size());
        end.ready().forEach(r -> out.add(describe(r)));
        assertEquals(n, end.window().nextOrdinal(), "every frame made ready once");
        assertNull(end.window().pending());
        assertTrue(end.window().finish().ready().isEmpty(), "finishing twice adds nothing");
        return out;
    }

    private static String describe(ShortTermWindow.Ready r) {
        return r.index() + ":" + r.ordinal() + ":" + F.indexOf(r.current()) + "/" + F.indexOf(r.neighbour());
    }

    @Test
    void nextModePairsALoneFrameWithItself() {
        List<Integer> sizes = new ArrayList<>();
        assertEquals(List.of("10:0:0/0"), run(NeighborMode.NEXT, 1, sizes));
        assertEquals(List.of(0, 1), sizes, "nothing until the end: the frame waits for a successor");
    }

    @Test
    void nextModePairsTwoFramesWithEachOther() {
        List<Integer> sizes = new ArrayList<>();
        assertEquals(List.of("10:0:0/1", "20:1:1/0"), run(NeighborMode.NEXT, 2, sizes));
        assertEquals(List.of(0, 1, 1), sizes);
    }

    @Test
    void nextModePairsEachFrameWithItsSuccessorAndTheLastWithItsPredecessor() {
        List<Integer> sizes = new ArrayList<>();
        assertEquals(
                List.of("10:0:0/1", "20:1:1/2", "30:2:2/3", "40:3:3/4", "50:4:4/3"), run(NeighborMode.NEXT, 5, sizes));
        assertEquals(List.of(0, 1, 1, 1, 1, 1), sizes, "one frame of latency");
    }

    @Test
    void previousModePairsEachFrameWithItsPredecessorAtOnce() {
        List<Integer> sizes = new ArrayList<>();
        assertEquals(List.of("10:0:0/0"), run(NeighborMode.PREVIOUS, 1, sizes));
        sizes.clear();
        assertEquals(List.of("10:0:0/0", "20:1:1/0"), run(NeighborMode.PREVIOUS, 2, sizes));
        sizes.clear();
        assertEquals(List.of("10:0:0/0", "20:1:1/0", "30:2:2/1", "40:3:3/2"), run(NeighborMode.PREVIOUS, 4, sizes));
        assertEquals(List.of(1, 1, 1, 1, 0), sizes, "no latency, nothing left at the end");
    }

    @Test
    void theWindowHoldsAtMostTwoFramesAndRebuildsFromItsParts() {
        ShortTermWindow w = ShortTermWindow.start(NeighborMode.NEXT);
        for (int i = 0; i < 3; i++) {
            w = w.accept(i, F.get(i)).window();
        }
        assertSame(F.get(1), w.previous().features());
        assertSame(F.get(2), w.pending().features());
        assertEquals(2, w.nextOrdinal());
        assertEquals(F.get(1).byteSize() + F.get(2).byteSize(), w.byteSize());
        ShortTermWindow copy = ShortTermWindow.of(w.mode(), w.nextOrdinal(), w.previous(), w.pending());
        ShortTermWindow.Ready last = copy.finish().ready().get(0);
        assertEquals(2, last.index());
        assertEquals(2, last.ordinal());
        assertSame(F.get(1), last.neighbour());
    }
}
