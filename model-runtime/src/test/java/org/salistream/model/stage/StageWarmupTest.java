package org.salistream.model.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.testing.GoldenClips;

/**
 * Warming a model up leaves nothing behind: no array in the model's manager, and the frames segmented
 * afterwards get exactly the logits they get from the same model without a warm-up (the stages keep no
 * state of their own).
 */
class StageWarmupTest {

    @Test
    void warmingUpChangesNoResultAndLeavesNoArray() throws Exception {
        ModelConfig config =
                ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256);
        try (DjlSaliStages stages = SaliModelLoader.untrained(config)) {
            List<FrameFeatures> f = stages.encode(GoldenClips.synthetic(2, 256, 256, 9));
            SegmentRequest req = new SegmentRequest(f.get(0), f.get(1), MemoryState.empty(), FramePolicy.START);
            float[] cold = stages.segment(List.of(req)).get(0).logits();
            int arrays = stages.liveArrays();
            long ms = StageWarmup.run(stages, 3);
            assertTrue(ms >= 0);
            assertEquals(arrays, stages.liveArrays(), "arrays left in the model's manager by the warm-up");
            assertArrayEquals(cold, stages.segment(List.of(req)).get(0).logits());
            assertEquals(
                    f.get(0),
                    stages.encode(GoldenClips.synthetic(2, 256, 256, 9)).get(0));
        }
    }
}
