package org.salistream.model.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The top-level operators of a libtorch profiler trace (the Chrome trace that DJL's
 * {@code JniUtils.stopProfile} writes): the ATen calls made from Java, one per tensor operation that crossed
 * JNI, without the ATen calls nested inside them. Matrix products carry their counted work, from the input
 * shapes the trace records; a call of a TorchScript method carries the work of the products it runs.
 */
public final class OpTrace {

    /** One top-level operator call: its name, its time in microseconds, and its counted FLOPs (0 if none). */
    public record Op(String name, double micros, long flops) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpTrace() {}

    /** Reads a trace file. */
    public static List<Op> read(Path trace) throws IOException {
        JsonNode root = JSON.readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        List<JsonNode> complete = new ArrayList<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText()) && e.has("name")) {
                complete.add(e);
            }
        }
        // Parents start no later than their children and last longer: by start, longest first, then an event
        // is top-level when it starts at or after the end of the last top-level one on its thread.
        complete.sort(Comparator.<JsonNode>comparingDouble(e -> e.path("ts").asDouble())
                .thenComparing(e -> -e.path("dur").asDouble()));
        List<Op> top = new ArrayList<>();
        java.util.Map<String, double[]> openUntil = new java.util.HashMap<>(); // thread: {top end, product end}
        java.util.Map<String, Integer> current = new java.util.HashMap<>(); // thread: index of its open top op
        for (JsonNode e : complete) {
            String thread = e.path("pid").asText() + "/" + e.path("tid").asText();
            double ts = e.path("ts").asDouble();
            double end = ts + e.path("dur").asDouble();
            String name = e.path("name").asText();
            long flops = flops(name, shapes(e.path("shape")));
            double[] open = openUntil.computeIfAbsent(
                    thread, t -> new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
            if (ts < open[0]) {
                // Nested: a product inside a top-level call that is not itself a product (a TorchScript method)
                // adds its work to that call, unless it sits inside another product already counted.
                if (flops > 0 && ts >= open[1]) {
                    int i = current.get(thread);
                    Op t = top.get(i);
                    top.set(i, new Op(t.name(), t.micros(), t.flops() + flops));
                    open[1] = end;
                }
                continue;
            }
            open[0] = end;
            open[1] = flops > 0 ? end : Double.NEGATIVE_INFINITY;
            current.put(thread, top.size());
            top.add(new Op(name, end - ts, flops));
        }
        return top;
    }

    private static List<long[]> shapes(JsonNode node) {
        List<long[]> out = new ArrayList<>();
        for (JsonNode s : node) {
            long[] dims = new long[s.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = s.get(i).asLong();
            }
            out.add(dims);
        }
        return out;
    }

    /**
     * Multiply-adds times two of the matrix products: {@code matmul}, {@code mm}, {@code bmm} and {@code addmm}
     * (batch x n x k x m) and {@code linear} (rows x in x out). Convolutions are counted by the layers (the
     * trace lacks their strides); everything else counts 0.
     */
    static long flops(String name, List<long[]> s) {
        switch (name) {
            case "aten::matmul", "aten::mm", "aten::bmm":
                return s.size() >= 2 ? product(s.get(0), s.get(1)) : 0;
            case "aten::addmm", "aten::baddbmm":
                return s.size() >= 3 ? product(s.get(1), s.get(2)) : 0;
            case "aten::linear":
                if (s.size() < 2 || s.get(0).length == 0 || s.get(1).length != 2) {
                    return 0;
                }
                return 2 * numel(s.get(0)) * s.get(1)[0];
            default:
                return 0;
        }
    }

    /** 2 x batch x n x k x m of a (possibly batched, broadcast) product of a (..., n, k) and b (..., k, m). */
    private static long product(long[] a, long[] b) {
        if (a.length == 0 || b.length == 0) {
            return 0;
        }
        long k = a[a.length - 1];
        long n = a.length >= 2 ? a[a.length - 2] : 1;
        long m = b.length >= 2 ? b[b.length - 1] : 1;
        long batch = 1;
        int rank = Math.max(a.length, b.length) - 2;
        for (int i = 1; i <= rank; i++) {
            long da = a.length - 2 - i >= 0 ? a[a.length - 2 - i] : 1;
            long db = b.length - 2 - i >= 0 ? b[b.length - 2 - i] : 1;
            batch *= Math.max(da, db);
        }
        return 2 * batch * n * k * m;
    }

    private static long numel(long[] s) {
        long n = 1;
        for (long d : s) {
            n *= d;
        }
        return n;
    }
}
