package org.salistream.model.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A libtorch trace reduced to its top-level calls (nested ATen calls dropped, per thread) with the counted
 * work of matrix products from their input shapes, a TorchScript method call's included.
 */
class OpTraceTest {

    @Test
    void nestedCallsAreDroppedAndProductsCounted(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.json");
        Files.writeString(trace, """
                [
                {"name": "aten::mm", "ph": "X", "ts": 12.0, "dur": 5.0, "tid": 1, "pid": "CPU Functions",
                 "shape": [[2, 3], [3, 4]]},
                {"name": "aten::matmul", "ph": "X", "ts": 10.0, "dur": 10.0, "tid": 1, "pid": "CPU Functions",
                 "shape": [[5, 1, 2, 3], [7, 3, 4]]},
                {"name": "aten::linear", "ph": "X", "ts": 30.0, "dur": 4.0, "tid": 1, "pid": "CPU Functions",
                 "shape": [[6, 10, 8], [16, 8], [16]]},
                {"name": "aten::add", "ph": "X", "ts": 35.0, "dur": 1.0, "tid": 1, "pid": "CPU Functions",
                 "shape": [[4], [4], []]},
                {"name": "aten::empty", "ph": "X", "ts": 36.0, "dur": 0.5, "tid": 2, "pid": "CPU Functions",
                 "shape": [[], []]},
                {"name": "deform_conv2d", "ph": "X", "ts": 40.0, "dur": 9.0, "tid": 1, "pid": "CPU Functions",
                 "shape": [[1, 8, 4, 4], [], []]},
                {"name": "aten::matmul", "ph": "X", "ts": 42.0, "dur": 3.0, "tid": 1, "pid": "CPU Functions",
                 "shape": [[4, 72], [1, 72, 16]]},
                {"name": "aten::mm", "ph": "X", "ts": 42.5, "dur": 2.0, "tid": 1, "pid": "CPU Functions",
                 "shape": [[4, 72], [72, 16]]},
                {"name": "__start_profile", "ph": "i", "ts": 0.0, "tid": 1, "pid": "CPU Functions"}
                ]
                """);
        List<OpTrace.Op> ops = OpTrace.read(trace);
        assertEquals(
                List.of("aten::matmul", "aten::linear", "aten::add", "aten::empty", "deform_conv2d"),
                ops.stream().map(OpTrace.Op::name).toList());
        assertEquals(2L * 5 * 7 * 2 * 3 * 4, ops.get(0).flops(), "broadcast batch 5 x 7 of (2x3)(3x4)");
        assertEquals(2L * 6 * 10 * 8 * 16, ops.get(1).flops(), "60 rows of 8 -> 16");
        assertEquals(0, ops.get(2).flops());
        assertEquals(2L * 4 * 72 * 16, ops.get(4).flops(), "a method call carries its product, counted once");
        assertEquals(10.0, ops.get(0).micros(), 1e-9);
    }
}
