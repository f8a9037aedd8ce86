package org.salistream.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.SunSegFrame;
import org.salistream.datasets.SunSegLayout;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.RgbImage;

/**
 * The training triplets of a SUN-SEG split, paired as the published {@code VideoDataset} pairs them (SALI,
 * {@code dataloaders/video_list.py}). For a case of n frames (n at least 3):
 * <ul>
 *   <li>frame 0: memory frame 1, neighbour frame 1 (there is no earlier frame to remember);</li>
 *   <li>frame i, 0 &lt; i &lt; n-1: memory frame drawn uniformly from {@code max(i - max_skip, 0) .. i-1},
 *       neighbour i+1;</li>
 *   <li>frame n-1: memory frame drawn uniformly from {@code max(n-2 - max_skip, 0) .. n-3}, neighbour n-2
 *       (the frame before, as the test loader's last frame).</li>
 * </ul>
 * The memory frames are drawn once when the triplets are made (the published loader draws them when the
 * dataset is built, and rebuilds it every five epochs with a new {@code max_skip}: see
 * {@link #publishedMaxSkip}); here from a seeded generator, so a seed gives the same triplets.
 */
public final class TripletDataset {

    /** The published {@code max_skip} of the first epochs. */
    public static final int PUBLISHED_MAX_SKIP = 5;

    private final String split;
    private final Map<String, List<SunSegFrame>> cases;
    private final TripletAugmenter augmenter;
    private List<Triplet> triplets = List.of();

    private TripletDataset(String split, Map<String, List<SunSegFrame>> cases, TripletAugmenter augmenter) {
        this.split = split;
        this.cases = cases;
        this.augmenter = augmenter;
    }

    /**
     * The split {@code <root>/<split>} with its triplets drawn with {@code maxSkip} and {@code seed}.
     *
     * @throws IllegalArgumentException when the split is not a SUN-SEG layout with ground truth, or a case
     *     has fewer than three frames
     */
    public static TripletDataset open(Path root, String split, TripletAugmenter augmenter, int maxSkip, long seed)
            throws IOException {
        SunSegLayout layout = SunSegLayout.open(root, split);
        if (!layout.hasGroundTruth()) {
            throw new IllegalArgumentException("training split " + layout.splitRoot()
                    + " has no GT/ folder: training needs a mask for every frame");
        }
        Map<String, List<SunSegFrame>> cases = new LinkedHashMap<>();
        for (String c : layout.cases()) {
            List<SunSegFrame> frames = layout.frames(c);
            if (frames.size() < 3) {
                throw new IllegalArgumentException("case " + c + " of " + layout.splitRoot() + " has " + frames.size()
                        + " frame(s); a training case needs at least 3 (memory, current, next)");
            }
            cases.put(c, frames);
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("training split " + layout.splitRoot() + " has no case under Frame/");
        }
        TripletDataset d = new TripletDataset(split, Collections.unmodifiableMap(cases), augmenter);
        d.pair(maxSkip, seed);
        return d;
    }

    /**
     * The published curriculum of {@code max_skip}: the loader is rebuilt after every fifth epoch with the
     * next value of {@code [10, 15, 20, 25, 5]}, staying at the last; so epochs 1-5 use 5, 6-10 use 10,
     * 11-15 use 15, 16-20 use 20, 21-25 use 25 and later epochs 5.
     */
    public static int publishedMaxSkip(int epoch) {
        int[] list = {10, 15, 20, 25, 5};
        int reloads = (epoch - 1) / 5; // reloads that happened before this epoch
        return reloads == 0 ? PUBLISHED_MAX_SKIP : list[Math.min(reloads - 1, list.length - 1)];
    }

    /** Draws the triplets of every case anew. */
    public void pair(int maxSkip, long seed) {
        if (maxSkip < 1) {
            throw new IllegalArgumentException("max skip must be at least 1, got " + maxSkip);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Triplet> out = new ArrayList<>();
        cases.forEach((c, frames) -> out.addAll(pairCase(c, frames.size(), maxSkip, rng)));
        triplets = List.copyOf(out);
    }

    /** The triplets of one case of {@code n} frames, in frame order (the published pairing rules). */
    public static List<Triplet> pairCase(String caseId, int n, int maxSkip, SplittableRandom rng) {
        if (n < 3) {
            throw new IllegalArgumentException("case " + caseId + " has " + n + " frames; at least 3 are needed");
        }
        List<Triplet> out = new ArrayList<>(n);
        out.add(new Triplet(caseId, 1, 0, 1));
        for (int i = 1; i < n - 1; i++) {
            out.add(new Triplet(caseId, randint(rng, Math.max(i - maxSkip, 0), i - 1), i, i + 1));
        }
        int last = n - 1;
        out.add(new Triplet(caseId, randint(rng, Math.max(last - 1 - maxSkip, 0), last - 2), last, last - 1));
        return out;
    }

    /** Python's {@code random.randint(lo, hi)}: inclusive of both ends. */
    private static int randint(SplittableRandom rng, int lo, int hi) {
        return rng.nextInt(lo, hi + 1);
    }

    /** The split name. */
    public String split() {
        return split;
    }

    /** The cases and their frames, in natural order. */
    public Map<String, List<SunSegFrame>> cases() {
        return cases;
    }

    /** The number of triplets (one per frame). */
    public int size() {
        return triplets.size();
    }

    /** The current triplets. */
    public List<Triplet> triplets() {
        return triplets;
    }

    /** The output size S. */
    public int imageSize() {
        return augmenter.size();
    }

    /**
     * Reads, augments and normalises triplet {@code index}; the augmentation draws from {@code seed} only.
     *
     * @throws IOException when a frame or mask cannot be read
     */
    public TrainSample load(int index, long seed) throws IOException {
        Triplet t = triplets.get(index);
        List<SunSegFrame> frames = cases.get(t.caseId());
        SunSegFrame mem = frames.get(t.memory());
        SunSegFrame cur = frames.get(t.current());
        SunSegFrame nbr = frames.get(t.neighbour());
        List<RgbImage> imgs =
                List.of(FrameDecoder.read(mem.image()), FrameDecoder.read(cur.image()), FrameDecoder.read(nbr.image()));
        List<GrayImage> gts = List.of(PilImages.readGray(mem.mask()), PilImages.readGray(cur.mask()));
        return augmenter.apply(imgs, gts, new SplittableRandom(seed));
    }
}
