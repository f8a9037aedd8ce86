package org.salistream.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Connected regions of a binary mask: 8-connectivity, boxes, areas, scores, the minimum area, the order. */
class RegionsTest {

    /** A mask from rows of '#' (on) and '.' (off), with probability 0.5 on and 0 off unless given. */
    private static boolean[] mask(String... rows) {
        int w = rows[0].length();
        boolean[] m = new boolean[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = rows[y].charAt(x) == '#';
            }
        }
        return m;
    }

    private static float[] probability(boolean[] mask) {
        float[] p = new float[mask.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = mask[i] ? 0.5f : 0f;
        }
        return p;
    }

    @Test
    void twoBlobsComeOutLargestFirstWithBoxesAreasAndScores() {
        boolean[] m = mask("#.....", "......", "...##.", "..###.", "...#..");
        float[] p = probability(m);
        p[3 * 6 + 3] = 0.97f;
        p[0] = 0.6f;
        List<Regions.Region> r = Regions.of(m, 6, 5, p, 1);
        assertEquals(2, r.size());
        assertEquals(new Regions.Region(2, 2, 3, 3, 6, 0.97f), r.get(0));
        assertEquals(new Regions.Region(0, 0, 1, 1, 1, 0.6f), r.get(1));
    }

    @Test
    void diagonalNeighboursAreOneRegion() {
        boolean[] m = mask("#...", ".#..", "..#.", "...#");
        List<Regions.Region> r = Regions.of(m, 4, 4, probability(m), 1);
        assertEquals(List.of(new Regions.Region(0, 0, 4, 4, 4, 0.5f)), r);
    }

    @Test
    void regionsBelowTheMinimumAreaAreDropped() {
        boolean[] m = mask("##..#", "##...", ".....");
        assertEquals(2, Regions.of(m, 5, 3, probability(m), 1).size());
        List<Regions.Region> big = Regions.of(m, 5, 3, probability(m), 2);
        assertEquals(1, big.size());
        assertEquals(4, big.get(0).area());
        assertTrue(Regions.of(m, 5, 3, probability(m), 5).isEmpty());
        assertTrue(Regions.of(new boolean[15], 5, 3, new float[15], 1).isEmpty());
    }

    @Test
    void aMaskThatDoesNotMatchItsSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Regions.of(new boolean[6], 4, 2, new float[8], 1));
    }
}
