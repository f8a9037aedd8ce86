package org.salistream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.model.ModelConfig;

/** The published {@code VideoDataset} pairing, the {@code max_skip} curriculum, loading and batching. */
class TripletDatasetTest {

    private static TripletAugmenter augmenter(int size, boolean augment) {
        return new TripletAugmenter(size, ModelConfig.IMAGENET_MEAN, ModelConfig.IMAGENET_STD, augment);
    }

    @Test
    void theFirstFrameRemembersTheSecondAndTheLastLooksBack() {
        for (int seed = 0; seed < 50; seed++) {
            List<Triplet> t = TripletDataset.pairCase("c", 12, 5, new SplittableRandom(seed));
            assertEquals(12, t.size());
            assertEquals(new Triplet("c", 1, 0, 1), t.get(0));
            Triplet last = t.get(11);
            assertEquals(11, last.current());
            assertEquals(10, last.neighbour());
            assertTrue(last.memory() >= 11 - 1 - 5 && last.memory() <= 9, "last frame's memory " + last.memory());
            for (int i = 1; i < 11; i++) {
                Triplet m = t.get(i);
                assertEquals(i, m.current());
                assertEquals(i + 1, m.neighbour());
                assertTrue(
                        m.memory() >= Math.max(i - 5, 0) && m.memory() <= i - 1,
                        "frame " + i + " remembers frame " + m.memory());
            }
        }
    }

    @Test
    void memoryFramesCoverTheWholeWindowOfMaxSkip() {
        Set<Integer> seen = new HashSet<>();
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 400; k++) {
            seen.add(TripletDataset.pairCase("c", 20, 5, rng).get(10).memory());
        }
        assertEquals(Set.of(5, 6, 7, 8, 9), seen);
    }

    @Test
    void theShortestCaseHasThreeFramesAndShorterOnesAreRefused() {
        List<Triplet> t = TripletDataset.pairCase("c", 3, 5, new SplittableRandom(0));
        assertEquals(List.of(new Triplet("c", 1, 0, 1), new Triplet("c", 0, 1, 2), new Triplet("c", 0, 2, 1)), t);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TripletDataset.pairCase("c", 2, 5, new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("at least 3"));
    }

    @Test
    void theCurriculumFollowsThePublishedReloads() {
        int[] expected = {
            5, 5, 5, 5, 5, 10, 10, 10, 10, 10, 15, 15, 15, 15, 15, 20, 20, 20, 20, 20, 25, 25, 25, 25, 25, 5, 5, 5, 5,
            5, 5
        };
        for (int e = 1; e <= expected.length; e++) {
            assertEquals(expected[e - 1], TripletDataset.publishedMaxSkip(e), "epoch " + e);
        }
    }

    @Test
    void aSplitIsOpenedPairedAndLoadedDeterministically(@TempDir Path dir) throws Exception {
        SyntheticSplits data = SyntheticSplits.make(dir, 2, 5, 64, 3, line -> {});
        TripletDataset a = TripletDataset.open(data.root(), data.train(), augmenter(64, true), 5, 42);
        TripletDataset b = TripletDataset.open(data.root(), data.train(), augmenter(64, true), 5, 42);
        assertEquals(10, a.size());
        assertEquals(2, a.cases().size());
        assertEquals(a.triplets(), b.triplets());
        TrainSample s1 = a.load(3, 77);
        TrainSample s2 = b.load(3, 77);
        assertArrayEquals(s1.current(), s2.current());
        assertArrayEquals(s1.gtMemory(), s2.gtMemory());
        TrainSample other = a.load(3, 78);
        assertFalse(java.util.Arrays.equals(s1.current(), other.current()), "another seed, the same augmentation");
        for (float v : s1.gt()) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    @Test
    void batchesCoverTheEpochOnceInASeededOrderWhateverTheWorkers(@TempDir Path dir) throws Exception {
        SyntheticSplits data = SyntheticSplits.make(dir, 1, 5, 64, 4, line -> {});
        TripletDataset d = TripletDataset.open(data.root(), data.train(), augmenter(64, true), 5, 1);
        float[] first;
        try (BatchLoader one = new BatchLoader(d, 2, 9, 1, 1);
                BatchLoader two = new BatchLoader(d, 2, 9, 1, 2)) {
            assertEquals(3, one.batches());
            Set<Integer> positions = new HashSet<>();
            for (int p : one.order()) {
                positions.add(p);
            }
            assertEquals(Set.of(0, 1, 2, 3, 4), positions);
            assertArrayEquals(one.order(), two.order());
            int[] sizes = new int[3];
            int k = 0;
            first = null;
            while (one.hasNext()) {
                TrainBatch x = one.next();
                TrainBatch y = two.next();
                assertArrayEquals(x.current(), y.current());
                assertArrayEquals(x.gt(), y.gt());
                first = first == null ? x.current() : first;
                sizes[k++] = x.batch();
            }
            assertArrayEquals(new int[] {2, 2, 1}, sizes);
        }
        try (BatchLoader nextEpoch = new BatchLoader(d, 2, 9, 2, 1)) {
            assertNotEquals(
                    java.util.Arrays.toString(first),
                    java.util.Arrays.toString(nextEpoch.next().current()));
        }
    }

    @Test
    void aSplitWithoutMasksOrWithAShortCaseIsRefusedClearly(@TempDir Path dir) throws Exception {
        Path split = dir.resolve("S");
        Files.createDirectories(split.resolve("Frame/case1"));
        IllegalArgumentException noGt = assertThrows(
                IllegalArgumentException.class, () -> TripletDataset.open(dir, "S", augmenter(64, false), 5, 0));
        assertTrue(noGt.getMessage().contains("GT"), noGt.getMessage());
        IllegalArgumentException noSplit = assertThrows(
                IllegalArgumentException.class, () -> TripletDataset.open(dir, "Missing", augmenter(64, false), 5, 0));
        assertTrue(noSplit.getMessage().contains("Frame"), noSplit.getMessage());

        SyntheticSplits data = SyntheticSplits.make(dir.resolve("short"), 1, 3, 64, 5, line -> {});
        Path caseDir = Files.list(data.root().resolve(data.train()).resolve("Frame"))
                .findFirst()
                .orElseThrow();
        Path gtDir = data.root().resolve(data.train()).resolve("GT").resolve(caseDir.getFileName());
        try (var frames = Files.list(caseDir)) {
            Path victim = frames.sorted().reduce((x, y) -> y).orElseThrow();
            Files.delete(victim);
            Files.delete(gtDir.resolve(victim.getFileName().toString().replace(".jpg", ".png")));
        }
        IllegalArgumentException shortCase = assertThrows(
                IllegalArgumentException.class,
                () -> TripletDataset.open(data.root(), data.train(), augmenter(64, false), 5, 0));
        assertTrue(shortCase.getMessage().contains("at least 3"), shortCase.getMessage());
    }
}
