package org.salistream.pipeline.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.SegmentedFrame;
import org.salistream.pipeline.job.ModelStages;
import org.salistream.pipeline.testing.TestModels;

/**
 * Writes the SALI operator's keyed state as the first released format had it (run once, by hand, with
 * {@code -Dsali.write-state-snapshot=true}); {@code SaliOperatorRestoreTest} reads it back with today's code.
 */
class SaliOperatorStateFormatTest {

    /** The snapshot written by the operator of the first release (procedure A mid-stream, B ended). */
    static final String V1 = "src/test/resources/state-v1/sali-operator.snapshot";

    static PipelineConfig config() {
        Map<String, String> m = new HashMap<>(TestModels.modelKeys());
        m.put("batch.max-size", "1");
        m.put("procedure.idle-timeout", "5000ms");
        return PipelineConfig.of(m);
    }

    @Test
    @EnabledIfSystemProperty(named = "sali.write-state-snapshot", matches = "true")
    void writeTheSnapshotOfTheFirstFormat() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, FrameEvent, SegmentedFrame>(
                new SaliOperator(config(), new ModelStages()), e -> e.procedureId, Types.STRING)) {
            h.setProcessingTime(1000);
            h.open();
            h.processElement(SaliOperatorTest.frame("B", 0), 0);
            h.processElement(SaliOperatorTest.frame("B", 1), 0);
            h.processElement(SaliOperatorTest.end("B", 1), 0);
            h.processElement(SaliOperatorTest.frame("A", 0), 0);
            h.prepareSnapshotPreBarrier(1);
            assertEquals(
                    2,
                    h.extractOutputValues().stream()
                            .filter(s -> s.kind == FrameEvent.Kind.FRAME)
                            .count());
            assertEquals(4, h.numKeyedStateEntries(), "A: window, memory, progress; B: its tombstone");
            Files.createDirectories(Path.of(V1).getParent());
            OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, 1000), V1);
        }
    }
}
