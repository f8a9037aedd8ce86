package org.salistream.pipeline.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.salistream.kafka.DlqReason;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.image.RgbImage;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ProcedureRunner;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.SegmentedFrame;
import org.salistream.pipeline.job.ModelStages;
import org.salistream.pipeline.state.ProcedureProgress;
import org.salistream.pipeline.testing.TestModels;

/**
 * Today's operator restores the keyed state that the first release wrote ({@code state-v1}, see
 * {@link SaliOperatorStateFormatTest}): the progress POJO gained fields (restored at their defaults), the
 * held frames' metadata gained source coordinates (-1), the window and memory formats are unchanged. A
 * procedure in the middle of its frames goes on with the offline numbers; an ended one stays a tombstone.
 */
class SaliOperatorRestoreTest {

    @Test
    void theFirstReleasesStateRestoresAndTheProcedureGoesOnWithTheOfflineNumbers() throws Exception {
        OperatorSubtaskState v1 = OperatorSnapshotUtil.readStateHandle(SaliOperatorStateFormatTest.V1);
        int s = TestModels.CONFIG.size();
        try (var h = SaliOperatorTest.harness(SaliOperatorStateFormatTest.config(), new ModelStages())) {
            h.setProcessingTime(2000);
            h.initializeState(v1);
            h.open();
            assertEquals(4, h.numKeyedStateEntries(), "A: window, memory, progress; B: its tombstone");
            h.getOperator().setCurrentKey("A");
            ProcedureProgress a = h.getOperator()
                    .getKeyedStateBackend()
                    .getPartitionedState(
                            VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, SaliOperator.PROGRESS)
                    .value();
            assertEquals(0, a.lastIndex);
            assertEquals(0, a.modelFailures, "a field the first release did not have");
            assertNull(a.closedReason);
            assertEquals(-1, a.held[0].sourceOffset, "held frame metadata of the first release has no source");

            h.processElement(SaliOperatorTest.frame("A", 1), 0);
            h.processElement(SaliOperatorTest.end("A", 1), 0);
            h.processElement(SaliOperatorTest.frame("B", 2), 0);
            List<SegmentedFrame> out = h.extractOutputValues().stream()
                    .filter(f -> f.kind == FrameEvent.Kind.FRAME)
                    .toList();
            assertEquals(List.of(0L, 1L), out.stream().map(f -> f.frameIndex).toList());
            List<float[]> expected = new ArrayList<>();
            try (DjlSaliStages offline = SaliModelLoader.open(TestModels.checkpoint(), TestModels.CONFIG)) {
                ProcedureRunner runner = new ProcedureRunner(offline);
                for (int i = 0; i < 2; i++) {
                    runner.accept(
                            i,
                            new RgbImage(s, s, SaliOperatorTest.frame("A", i).modelRgb),
                            (i2, r) -> expected.add(r.logits()));
                }
                runner.finish((i2, r) -> expected.add(r.logits()));
            }
            for (int i = 0; i < 2; i++) {
                // The operator's model runs the inference kernels (TorchScript DCN, batched alignment), the
                // offline loop here the same weights opened alone: equal up to the float32 floor.
                assertEquals(expected.get(i).length, out.get(i).logits.length, "frame " + i + " of A");
                SaliOperatorTest.assertKernelNoiseLogits(expected.get(i), out.get(i).logits);
            }
            List<DeadLetter> dlq = new ArrayList<>();
            for (StreamRecord<DeadLetter> r : h.getSideOutput(SaliOperator.DEAD_LETTERS)) {
                dlq.add(r.getValue());
            }
            assertEquals(1, dlq.size(), "B's tombstone still turns away its late frame");
            assertEquals(DlqReason.AFTER_END_OF_PROCEDURE, dlq.get(0).reason);
        }
    }
}
