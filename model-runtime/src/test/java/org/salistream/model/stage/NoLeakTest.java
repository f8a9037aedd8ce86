package org.salistream.model.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.image.RgbImage;
import org.salistream.model.pvt.PvtV2Config;

/**
 * A stream processor calls the stages for every frame for hours: nothing may stay behind in the model's
 * manager between calls.
 */
class NoLeakTest {

    @Test
    void segmentingFramesLeavesNoArrayInTheModelsManager() throws Exception {
        ModelConfig config = ModelConfig.published()
                .withBackbone(PvtV2Config.B0)
                .withSize(256)
                .withMemory(2, 2, 20);
        try (DjlSaliStages stages = SaliModelLoader.untrained(config)) {
            ProcedureRunner runner = new ProcedureRunner(stages);
            byte[] rgb = new byte[3 * 256 * 256];
            java.util.Arrays.fill(rgb, (byte) 90);
            runner.accept(0, new RgbImage(256, 256, rgb), (i, r) -> {});
            runner.accept(1, new RgbImage(256, 256, rgb), (i, r) -> {});
            int before = stages.liveArrays();
            for (int i = 2; i < 6; i++) {
                rgb[i] = (byte) (10 * i);
                runner.accept(i, new RgbImage(256, 256, rgb), (idx, r) -> {});
            }
            runner.finish((i, r) -> {});
            assertEquals(before, stages.liveArrays(), "arrays left in the model's manager after 4 more frames");
            stages.encode(List.of(new RgbImage(256, 256, rgb)));
            assertEquals(before, stages.liveArrays(), "arrays left after an encode");
        }
    }
}
