package org.salistream.model.cli;

import java.util.List;
import java.util.function.IntConsumer;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.FramePolicy;
import org.salistream.model.stage.NeighborMode;
import org.salistream.model.stage.SegmentRequest;
import org.salistream.model.stage.SegmentResult;
import org.salistream.model.stage.ShortTermWindow;

/**
 * The two per-frame loops that {@link ModelBenchCommand} compares, timed per frame: the streaming stage
 * loop ({@link org.salistream.model.stage.ProcedureRunner}'s: one encoder pass per frame, pairs from a
 * {@link ShortTermWindow}) and the published {@code test_video.py} loop (the frame and its neighbour
 * encoded anew for every frame, as {@code val_longshort} does).
 */
final class BenchLoops {

    private BenchLoops() {
    }

    /** Per-frame times of one loop over a clip (ms, by frame index), its final memory bank and its logits. */
    record LoopTimes(double[] encodeMs, double[] restMs, double wallMs, MemoryState memory, float[][] logits) {

        LatencyStats encode() {
            return LatencyStats.of(encodeMs);
        }

        LatencyStats rest() {
            return LatencyStats.of(restMs);
        }

        LatencyStats total() {
            double[] t = new double[encodeMs.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = encodeMs[i] + restMs[i];
            }
            return LatencyStats.of(t);
        }

        int count() {
            return encodeMs.length;
        }
    }

    /**
     * Runs both loops over {@code clip} in lockstep (streaming frame i, then naive frame i), so that other
     * load on the machine hits both alike.
     *
     * @param progress told the index of each frame done
     * @return the streaming loop's times, then the naive loop's
     */
    static LoopTimes[] lockstep(DjlSaliStages stages, List<RgbImage> clip, IntConsumer progress) {
        Streaming s = new Streaming(stages, clip.size());
        Naive n = new Naive(stages, clip);
        for (int i = 0; i < clip.size(); i++) {
            s.accept(i, clip.get(i));
            n.frame(i);
            progress.accept(i);
        }
        s.finish();
        return new LoopTimes[] {s.times(), n.times()};
    }

    /** The streaming loop: encode once, pair through the window, segment what the window makes ready. */
    private static final class Streaming {
        private final DjlSaliStages stages;
        private final double[] enc;
        private final double[] rest;
        private final float[][] logits;
        private ShortTermWindow window = ShortTermWindow.start(NeighborMode.NEXT);
        private MemoryState memory = MemoryState.empty();
        private double wallMs;

        Streaming(DjlSaliStages stages, int n) {
            this.stages = stages;
            this.enc = new double[n];
            this.rest = new double[n];
            this.logits = new float[n][];
        }

        void accept(int i, RgbImage frame) {
            long t0 = System.nanoTime();
            FrameFeatures f = stages.encode(List.of(frame)).get(0);
            enc[i] = (System.nanoTime() - t0) / 1e6;
            ShortTermWindow.Step step = window.accept(i, f);
            window = step.window();
            segment(step.ready());
            wallMs += (System.nanoTime() - t0) / 1e6;
        }

        void finish() {
            long t0 = System.nanoTime();
            segment(window.finish().ready());
            wallMs += (System.nanoTime() - t0) / 1e6;
        }

        private void segment(List<ShortTermWindow.Ready> ready) {
            for (ShortTermWindow.Ready r : ready) {
                long t0 = System.nanoTime();
                FramePolicy p = FramePolicy.forOrdinal(r.ordinal(), stages.config().memFreq());
                SegmentResult out = stages.segment(List.of(new SegmentRequest(r.current(), r.neighbour(), memory, p)))
                        .get(0);
                rest[(int) r.index()] = (System.nanoTime() - t0) / 1e6;
                memory = out.memory();
                logits[(int) r.index()] = out.logits();
            }
        }

        LoopTimes times() {
            return new LoopTimes(enc, rest, wallMs, memory, logits);
        }
    }

    /** The published loop: per frame, encode it and its neighbour (two passes), then segment. */
    private static final class Naive {
        private final DjlSaliStages stages;
        private final List<RgbImage> clip;
        private final double[] enc;
        private final double[] rest;
        private final float[][] logits;
        private MemoryState memory = MemoryState.empty();
        private double wallMs;

        Naive(DjlSaliStages stages, List<RgbImage> clip) {
            this.stages = stages;
            this.clip = clip;
            this.enc = new double[clip.size()];
            this.rest = new double[clip.size()];
            this.logits = new float[clip.size()][];
        }

        void frame(int i) {
            int n = clip.size();
            // The published loader: the next frame, the previous one for the last frame.
            int nbr = i + 1 < n ? i + 1 : Math.max(n - 2, 0);
            long t0 = System.nanoTime();
            FrameFeatures cur = stages.encode(List.of(clip.get(i))).get(0);
            FrameFeatures next = stages.encode(List.of(clip.get(nbr))).get(0);
            long t1 = System.nanoTime();
            FramePolicy p = FramePolicy.forOrdinal(i, stages.config().memFreq());
            SegmentResult out = stages.segment(List.of(new SegmentRequest(cur, next, memory, p))).get(0);
            long t2 = System.nanoTime();
            enc[i] = (t1 - t0) / 1e6;
            rest[i] = (t2 - t1) / 1e6;
            wallMs += (t2 - t0) / 1e6;
            memory = out.memory();
            logits[i] = out.logits();
        }

        LoopTimes times() {
            return new LoopTimes(enc, rest, wallMs, memory, logits);
        }
    }

    /** The largest absolute difference between two loops' logits (NaN if either has a NaN). */
    static double maxDiff(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double d = Math.abs((double) a[i][j] - b[i][j]);
                max = Double.isNaN(d) ? Double.NaN : Math.max(max, d);
            }
        }
        return max;
    }
}
