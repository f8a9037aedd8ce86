package org.salistream.model.cli;

import java.util.List;
import java.util.function.IntConsumer;
import org.salistream.model.NeighborMode;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.FramePolicy;
import org.salistream.model.stage.SegmentRequest;
import org.salistream.model.stage.SegmentResult;
import org.salistream.model.stage.ShortTermWindow;

/**
 * The two per-frame loops that {@link BenchModelCommand} compares, timed per frame: the streaming stage
 * loop ({@link org.salistream.model.stage.ProcedureRunner}'s: one encoder pass per frame, pairs from a
 * {@link ShortTermWindow}) and the published {@code test_video.py} loop (the frame and its neighbour
 * encoded anew for every frame, as {@code val_longshort} does).
 */
final class BenchLoops {

    private BenchLoops() {}

    /**
     * Per-frame times of one loop over a clip (ms, by frame index), its final memory bank and its logits; a
     * batched loop's times are per frame (each call's time over its procedures).
     */
    record LoopTimes(
            double[] encodeMs, double[] restMs, double wallMs, MemoryState memory, float[][] logits, int procedures) {

        LoopTimes(double[] encodeMs, double[] restMs, double wallMs, MemoryState memory, float[][] logits) {
            this(encodeMs, restMs, wallMs, memory, logits, 1);
        }

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
     * Runs the loops over {@code clips} in lockstep (streaming frame i, naive frame i, then frame i of every
     * clip batched), so that other load on the machine hits them alike. The streaming and naive loops run the
     * first clip; the batched loop, when there is more than one clip, runs them all as one procedure each.
     *
     * @param progress told the index of each frame done
     * @return the streaming loop's times, the naive loop's, and the batched loop's (per frame: each call's time
     *     divided by the procedures; logits and memory of the first procedure) when there are several clips
     */
    static LoopTimes[] lockstep(DjlSaliStages stages, List<List<RgbImage>> clips, IntConsumer progress) {
        List<RgbImage> clip = clips.get(0);
        Streaming s = new Streaming(stages, clip.size());
        Naive n = new Naive(stages, clip);
        Batched b = clips.size() > 1 ? new Batched(stages, clips) : null;
        for (int i = 0; i < clip.size(); i++) {
            s.accept(i, clip.get(i));
            n.frame(i);
            if (b != null) {
                b.frame(i);
            }
            progress.accept(i);
        }
        s.finish();
        if (b == null) {
            return new LoopTimes[] {s.times(), n.times()};
        }
        b.finish();
        return new LoopTimes[] {s.times(), n.times(), b.times()};
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
                FramePolicy p =
                        FramePolicy.forOrdinal(r.ordinal(), stages.config().memFreq());
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

    /**
     * The streaming loop over several procedures at once, as the pipeline batches them: each frame index is
     * one encode call and one segment call over all procedures.
     */
    private static final class Batched {
        private final DjlSaliStages stages;
        private final List<List<RgbImage>> clips;
        private final ShortTermWindow[] windows;
        private final MemoryState[] memories;
        private final double[] enc;
        private final double[] rest;
        private final float[][] logits;
        private double wallMs;

        Batched(DjlSaliStages stages, List<List<RgbImage>> clips) {
            this.stages = stages;
            this.clips = clips;
            int n = clips.get(0).size();
            this.windows = new ShortTermWindow[clips.size()];
            this.memories = new MemoryState[clips.size()];
            for (int p = 0; p < clips.size(); p++) {
                windows[p] = ShortTermWindow.start(NeighborMode.NEXT);
                memories[p] = MemoryState.empty();
            }
            this.enc = new double[n];
            this.rest = new double[n];
            this.logits = new float[n][];
        }

        void frame(int i) {
            long t0 = System.nanoTime();
            List<RgbImage> frames = new java.util.ArrayList<>();
            for (List<RgbImage> c : clips) {
                frames.add(c.get(i));
            }
            List<FrameFeatures> f = stages.encode(frames);
            enc[i] = (System.nanoTime() - t0) / 1e6 / clips.size();
            List<List<ShortTermWindow.Ready>> ready = new java.util.ArrayList<>();
            for (int p = 0; p < clips.size(); p++) {
                ShortTermWindow.Step step = windows[p].accept(i, f.get(p));
                windows[p] = step.window();
                ready.add(step.ready());
            }
            segment(ready);
            wallMs += (System.nanoTime() - t0) / 1e6;
        }

        void finish() {
            long t0 = System.nanoTime();
            List<List<ShortTermWindow.Ready>> ready = new java.util.ArrayList<>();
            for (int p = 0; p < clips.size(); p++) {
                ShortTermWindow.Step step = windows[p].finish();
                windows[p] = step.window();
                ready.add(step.ready());
            }
            segment(ready);
            wallMs += (System.nanoTime() - t0) / 1e6;
        }

        /** The procedures advance in lockstep: each has the same number of ready frames. */
        private void segment(List<List<ShortTermWindow.Ready>> ready) {
            for (int j = 0; j < ready.get(0).size(); j++) {
                long t0 = System.nanoTime();
                List<SegmentRequest> reqs = new java.util.ArrayList<>();
                for (int p = 0; p < clips.size(); p++) {
                    ShortTermWindow.Ready r = ready.get(p).get(j);
                    FramePolicy policy =
                            FramePolicy.forOrdinal(r.ordinal(), stages.config().memFreq());
                    reqs.add(new SegmentRequest(r.current(), r.neighbour(), memories[p], policy));
                }
                List<SegmentResult> out = stages.segment(reqs);
                int index = (int) ready.get(0).get(j).index();
                rest[index] = (System.nanoTime() - t0) / 1e6 / clips.size();
                for (int p = 0; p < clips.size(); p++) {
                    memories[p] = out.get(p).memory();
                }
                logits[index] = out.get(0).logits();
            }
        }

        LoopTimes times() {
            return new LoopTimes(enc, rest, wallMs / clips.size(), memories[0], logits, clips.size());
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
            SegmentResult out = stages.segment(List.of(new SegmentRequest(cur, next, memory, p)))
                    .get(0);
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
