package org.salistream.model.stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.salistream.model.memory.MemoryState;

/**
 * Runs a freshly opened model through the shapes a stream will use before the first real frame: libtorch
 * and oneDNN create their kernels on a shape's first call, which on a CPU makes the first frames several
 * times slower than the rest. A live screen should not pay that on the first frames of the first procedure.
 * Blank frames, batch sizes 1 and {@code maxBatch}: encode, a first frame, then a frame that reads and adds
 * to the memory.
 */
public final class StageWarmup {

    private StageWarmup() {}

    /**
     * Warms {@code stages} up.
     *
     * @param maxBatch the largest batch the caller will run (1 for a single procedure)
     * @return the time it took, in milliseconds
     */
    public static long run(SaliStages stages, int maxBatch) {
        long t0 = System.nanoTime();
        int s = stages.config().size();
        float[] blank = new float[3 * s * s];
        for (int b : maxBatch > 1 ? new int[] {1, maxBatch} : new int[] {1}) {
            List<FrameFeatures> features = stages.encodeNormalized(Collections.nCopies(b, blank));
            List<SegmentRequest> first = new ArrayList<>(b);
            for (FrameFeatures f : features) {
                first.add(new SegmentRequest(f, f, MemoryState.empty(), FramePolicy.START));
            }
            List<SegmentResult> out = stages.segment(first);
            List<SegmentRequest> next = new ArrayList<>(b);
            for (int i = 0; i < b; i++) {
                next.add(new SegmentRequest(
                        features.get(i), features.get(i), out.get(i).memory(), FramePolicy.READ_AND_ADD));
            }
            stages.segment(next);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
