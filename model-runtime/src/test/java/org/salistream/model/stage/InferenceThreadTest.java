package org.salistream.model.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.pvt.PvtV2Config;

/**
 * libtorch's grad mode is per thread and on by default on any thread but the one that loaded the engine (a
 * Flink task thread, a command's main thread after a job ran). A model opened and run on such a thread
 * records no autograd graph (which would keep every intermediate tensor and cannot hold the TorchScript
 * paths' inference tensors), and leaves the thread's mode as it found it.
 */
class InferenceThreadTest {

    @Test
    void aModelOpenedAndRunOnAGradModeThreadRecordsNoGraph() throws Exception {
        SaliModelLoader.untrained(
                        ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256))
                .close();
        List<String> recorded = new ArrayList<>();
        boolean[] mode = new boolean[2];
        CompletableFuture.runAsync(
                        () -> {
                            mode[0] = JniUtils.isGradMode();
                            ModelConfig config = ModelConfig.published()
                                    .withBackbone(PvtV2Config.B0)
                                    .withSize(256);
                            try (DjlSaliStages stages = SaliModelLoader.untrained(config)) {
                                List<FrameFeatures> f = stages.encodeNormalized(
                                        List.of(new float[3 * 256 * 256], new float[3 * 256 * 256]));
                                StageProbe probe = (name, arrays) -> {
                                    if (JniUtils.requiresGrad((PtNDArray) arrays.get(0))) {
                                        recorded.add(name);
                                    }
                                };
                                MemoryState m = stages.segment(
                                                List.of(new SegmentRequest(
                                                        f.get(0), f.get(1), MemoryState.empty(), FramePolicy.START)),
                                                probe)
                                        .get(0)
                                        .memory();
                                stages.segment(
                                        List.of(new SegmentRequest(f.get(1), f.get(0), m, FramePolicy.READ_AND_ADD)),
                                        probe);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            mode[1] = JniUtils.isGradMode();
                        },
                        r -> new Thread(r, "fresh-inference-thread").start())
                .get();
        assertTrue(mode[0], "a fresh thread starts with grad mode on (what this test is about)");
        assertEquals(mode[0], mode[1], "grad mode restored");
        assertTrue(recorded.isEmpty(), "tensors recorded for autograd: " + recorded);
    }
}
