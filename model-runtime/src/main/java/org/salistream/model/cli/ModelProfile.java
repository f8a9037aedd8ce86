package org.salistream.model.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.profile.BlockProfiler;
import org.salistream.model.profile.Sections;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.FramePolicy;
import org.salistream.model.stage.SegmentRequest;

/**
 * {@code sali bench model --profile}: where one frame's time goes, block by block. The streaming loop (one
 * encode and one segment per frame) runs over the clip with each section timed; then one more frame runs
 * under libtorch's profiler, which counts the top-level tensor operations (JNI crossings) and the FLOPs of
 * each block. A dense matrix product timed in the same run gives the machine's rate, and with it each
 * block's floor: its counted FLOPs at that rate.
 */
final class ModelProfile {

    /** The profile of one backbone: its blocks (timed and counted), the operator totals and the rate. */
    record Result(String backbone, BlockProfiler timed, BlockProfiler counted, double gflopsRate, int bankFrames) {}

    private ModelProfile() {}

    /**
     * Profiles {@code clip} after filling the memory bank with {@code bankFrames} frames (0: the clip's own
     * schedule, as the plain benchmark).
     */
    static Result run(DjlSaliStages stages, List<RgbImage> clip, int bankFrames) {
        MemoryState memory = MemoryState.empty();
        FrameFeatures previous = stages.encode(List.of(clip.get(0))).get(0);
        long ordinal = 0;
        for (int i = 0; i < bankFrames; i++) {
            FramePolicy p = i == 0 ? FramePolicy.START : FramePolicy.READ_AND_ADD;
            memory = segment(stages, previous, previous, memory, p);
            ordinal = 1;
        }
        BlockProfiler timed = new BlockProfiler(BlockProfiler.Mode.TIME);
        for (int i = 1; i < clip.size(); i++) {
            RgbImage frame = clip.get(i);
            FrameFeatures cur = previous;
            FramePolicy p = policy(stages, ordinal++, bankFrames);
            MemoryState before = memory;
            FrameFeatures[] next = new FrameFeatures[1];
            memory = Sections.observe(timed, () -> {
                next[0] = encode(stages, frame);
                return segmentIn(stages, cur, next[0], before, p);
            });
            timed.endFrame();
            previous = next[0];
        }
        BlockProfiler counted = new BlockProfiler(BlockProfiler.Mode.OPS);
        try {
            FrameFeatures cur = previous;
            FramePolicy p = policy(stages, ordinal, bankFrames);
            MemoryState before = memory;
            Sections.observe(counted, () -> segmentIn(stages, cur, encode(stages, clip.get(0)), before, p));
        } finally {
            counted.close();
        }
        return new Result(stages.config().backbone().name(), timed, counted, sgemmRate(stages), memory.frames());
    }

    private static FramePolicy policy(DjlSaliStages stages, long ordinal, int bankFrames) {
        // With a pre-filled bank, frames only read: the bank stays the size asked for.
        return bankFrames > 0
                ? FramePolicy.READ
                : FramePolicy.forOrdinal(ordinal, stages.config().memFreq());
    }

    private static FrameFeatures encode(DjlSaliStages stages, RgbImage frame) {
        try (Sections.Section s = Sections.open("encode")) {
            return stages.encode(List.of(frame)).get(0);
        }
    }

    private static MemoryState segmentIn(
            DjlSaliStages stages, FrameFeatures cur, FrameFeatures nbr, MemoryState memory, FramePolicy p) {
        try (Sections.Section s = Sections.open("segment")) {
            return segment(stages, cur, nbr, memory, p);
        }
    }

    private static MemoryState segment(
            DjlSaliStages stages, FrameFeatures cur, FrameFeatures nbr, MemoryState memory, FramePolicy p) {
        return stages.segment(List.of(new SegmentRequest(cur, nbr, memory, p)))
                .get(0)
                .memory();
    }

    /**
     * GFLOP/s of a 1024 x 1024 x 1024 float32 product on the engine's device, the best of 7 (another process
     * can only slow a run down, so the fastest is the machine's rate).
     */
    private static double sgemmRate(DjlSaliStages stages) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(1024, 1024));
            NDArray b = m.randomNormal(new Shape(1024, 1024));
            double[] s = new double[7];
            a.matMul(b).close();
            for (int i = 0; i < s.length; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // waits for an asynchronous device
                s[i] = (System.nanoTime() - t0) / 1e9;
                c.close();
            }
            Arrays.sort(s);
            return 2.0 * 1024 * 1024 * 1024 / s[0] / 1e9;
        }
    }

    /** Prints the block table, the busiest operators, and one JSON line per block. */
    static void print(PrintWriter out, Result r, int size) {
        List<BlockProfiler.Block> blocks = r.timed().blocks();
        double frameMs = 0;
        for (BlockProfiler.Block b : blocks) {
            if (b.depth() == 0) {
                frameMs += LatencyStats.of(toArray(b.frameMs())).median();
            }
        }
        out.printf(
                Locale.ROOT,
                "%n%s profile: %d timed frames, memory bank of %d frame(s), dense float32 product" + " %.0f GFLOP/s%n",
                r.backbone(),
                blocks.isEmpty() ? 0 : blocks.get(0).frameMs().size(),
                r.bankFrames(),
                r.gflopsRate());
        out.println("| block | ms (median) | share | top-level ops | GFLOP | ms at the product rate | x that |");
        out.println("|---|---|---|---|---|---|---|");
        Map<String, BlockProfiler.Block> counted = new java.util.HashMap<>();
        r.counted().blocks().forEach(b -> counted.put(b.path(), b));
        List<String> json = new ArrayList<>();
        for (BlockProfiler.Block b : blocks) {
            double ms = LatencyStats.of(toArray(b.frameMs())).median();
            BlockProfiler.Block c = counted.get(b.path());
            long[] inc = c == null ? new long[2] : r.counted().inclusive(c);
            double gflop = inc[1] / 1e9;
            double floorMs = gflop / r.gflopsRate() * 1e3;
            String name = "&nbsp;".repeat(4 * b.depth()) + b.name();
            out.printf(
                    Locale.ROOT,
                    "| %s | %.1f | %.0f%% | %d | %.3f | %.1f | %s |%n",
                    name,
                    ms,
                    100 * ms / frameMs,
                    inc[0],
                    gflop,
                    floorMs,
                    floorMs > 0.05 ? String.format(Locale.ROOT, "%.1f", ms / floorMs) : "");
            json.add(String.format(
                    Locale.ROOT,
                    "{\"bench\":\"model-profile\",\"backbone\":\"%s\",\"size\":%d,"
                            + "\"bank_frames\":%d,\"block\":\"%s\",\"ms\":%.2f,\"ops\":%d,\"gflop\":%.4f,\"floor_ms\":%.2f}",
                    r.backbone(),
                    size,
                    r.bankFrames(),
                    b.path().replace("\"", "'"),
                    ms,
                    inc[0],
                    gflop,
                    floorMs));
        }
        out.printf(Locale.ROOT, "| frame | %.1f | 100%% | | | | |%n", frameMs);
        out.printf("%n%s: busiest ATen operators of the profiled frame (calls, ms under the profiler)%n", r.backbone());
        r.counted().operatorTotals().entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                .limit(12)
                .forEach(e -> out.printf(
                        Locale.ROOT,
                        "  %-28s %5d calls %8.1f ms%n",
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1] / 1e3));
        json.forEach(out::println);
        out.flush();
    }

    private static double[] toArray(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
