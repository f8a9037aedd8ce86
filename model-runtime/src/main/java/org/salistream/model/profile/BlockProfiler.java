package org.salistream.model.profile;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Sections.Listener} that profiles the sections of a forward pass, in one of two modes:
 * <ul>
 *   <li>{@link Mode#TIME}: the wall time of each section, frame by frame (nothing else runs, so the times are
 *       the model's own);</li>
 *   <li>{@link Mode#OPS}: libtorch's profiler runs inside each innermost section and is stopped at every
 *       section boundary, so that each top-level ATen call (one tensor operation crossing JNI) is counted in
 *       exactly one section, with the matrix products' FLOPs; convolutions add theirs through
 *       {@link Sections#flops}. The profiler slows the pass down: its times are not the model's.</li>
 * </ul>
 * Sections are keyed by their path ({@code "segment / align memory / l1 (1/8) / deform conv"}); a section
 * entered twice in one frame (once per request of a batch) adds up.
 */
public final class BlockProfiler implements Sections.Listener {

    /** What the profiler records. */
    public enum Mode {
        TIME,
        OPS
    }

    /** What was recorded for one section path: its own ops and FLOPs (children excluded), its times per frame. */
    public static final class Block {
        private final String path;
        private final int depth;
        private final List<Double> frameMs = new ArrayList<>();
        private long ops;
        private long flops;

        Block(String path, int depth) {
            this.path = path;
            this.depth = depth;
        }

        /** The path, outermost section first. */
        public String path() {
            return path;
        }

        /** The last part of the path. */
        public String name() {
            int i = path.lastIndexOf(" / ");
            return i < 0 ? path : path.substring(i + 3);
        }

        /** Nesting depth, 0 for a root section. */
        public int depth() {
            return depth;
        }

        /** Wall time per frame, children included (TIME mode). */
        public List<Double> frameMs() {
            return frameMs;
        }

        /** Top-level ATen calls in this section itself (OPS mode). */
        public long selfOps() {
            return ops;
        }

        /** Counted FLOPs of this section itself (OPS mode). */
        public long selfFlops() {
            return flops;
        }
    }

    private record Open(String path, long startNanos) {}

    private final Mode mode;
    private final Path traceFile;
    private final Map<String, Block> blocks = new LinkedHashMap<>();
    private final Map<String, Double> frame = new LinkedHashMap<>();
    private final Map<String, long[]> opTotals = new TreeMap<>();
    private final Deque<Open> stack = new ArrayDeque<>();

    /** A profiler; in OPS mode it writes libtorch's traces to a temporary file. */
    public BlockProfiler(Mode mode) {
        this.mode = mode;
        try {
            this.traceFile = mode == Mode.OPS ? Files.createTempFile("sali-profile", ".json") : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void enter(String name) {
        String path = stack.isEmpty() ? name : stack.peek().path() + " / " + name;
        blocks.computeIfAbsent(path, p -> new Block(p, stack.size()));
        if (mode == Mode.OPS) {
            if (!stack.isEmpty()) {
                stopInto(stack.peek().path());
            }
            JniUtils.startProfile(false, true, false);
        }
        stack.push(new Open(path, System.nanoTime()));
    }

    @Override
    public void exit() {
        Open o = stack.pop();
        if (mode == Mode.OPS) {
            stopInto(o.path());
            if (!stack.isEmpty()) {
                JniUtils.startProfile(false, true, false);
            }
        } else {
            frame.merge(o.path(), (System.nanoTime() - o.startNanos()) / 1e6, Double::sum);
        }
    }

    @Override
    public void flops(long n) {
        if (mode == Mode.OPS && !stack.isEmpty()) {
            blocks.get(stack.peek().path()).flops += n;
        }
    }

    /** Ends a frame (TIME mode): each section's time in it joins its list. */
    public void endFrame() {
        frame.forEach((path, ms) -> blocks.get(path).frameMs.add(ms));
        frame.clear();
    }

    private void stopInto(String path) {
        JniUtils.stopProfile(traceFile.toString());
        try {
            Block b = blocks.get(path);
            for (OpTrace.Op op : OpTrace.read(traceFile)) {
                b.ops++;
                b.flops += op.flops();
                long[] t = opTotals.computeIfAbsent(op.name(), k -> new long[2]);
                t[0]++;
                t[1] += Math.round(op.micros());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading libtorch's profile " + traceFile, e);
        }
    }

    /** The sections in the order they were first entered. */
    public List<Block> blocks() {
        return new ArrayList<>(blocks.values());
    }

    /** Top-level ops and FLOPs of a section and everything under it. */
    public long[] inclusive(Block b) {
        long ops = 0;
        long flops = 0;
        for (Block c : blocks.values()) {
            if (c.path.equals(b.path) || c.path.startsWith(b.path + " / ")) {
                ops += c.ops;
                flops += c.flops;
            }
        }
        return new long[] {ops, flops};
    }

    /** Per ATen operator name: calls and microseconds (under the profiler) over everything recorded. */
    public Map<String, long[]> operatorTotals() {
        return opTotals;
    }

    /** Removes the temporary trace file. */
    public void close() {
        if (traceFile != null) {
            try {
                Files.deleteIfExists(traceFile);
            } catch (IOException e) {
                // a temporary file; nothing to do
            }
        }
    }
}
