package org.salistream.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.model.checkpoint.ModelCard;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.ShippedModel;
import org.salistream.model.testing.UntrainedCheckpoint;

/**
 * {@code sali run} and {@code sali demo} decide and check their model before anything starts: the shipped
 * model by default (with its backbone and size), untrained weights only when asked for, and a missing,
 * truncated, foreign or card-mismatched checkpoint is one clear error.
 */
class PipelineModelTest {

    @Test
    void withoutWeightsTheShippedModelRunsWithItsOwnBackboneAndSize() throws IOException {
        PipelineModel m = PipelineModel.resolve(null, null, Map.of());
        assertEquals("pvt_v2_b0", m.config().model().backbone().name());
        assertTrue(m.description().contains(ShippedModel.NAME), m.description());
        assertEquals(ShippedModel.locate().orElseThrow().toString(), m.config().get("model.weights"));
    }

    @Test
    void untrainedOnlyWhenAskedFor() throws IOException {
        PipelineModel m = PipelineModel.resolve(Path.of("untrained"), null, Map.of("model.backbone", "pvt_v2_b0"));
        assertNull(m.config().weights());
        assertTrue(m.description().contains("UNTRAINED"));
    }

    @Test
    void badCheckpointsAreOneClearError(@TempDir Path dir) throws IOException {
        IOException missing = assertThrows(
                IOException.class, () -> PipelineModel.resolve(dir.resolve("nothing.pth"), null, Map.of()));
        assertTrue(missing.getMessage().contains("no such checkpoint file"), missing.getMessage());

        Path cut = UntrainedCheckpoint.copyTo(dir.resolve("cut"));
        Files.write(cut.resolve(NativeCheckpoint.PARAMS), new byte[100]);
        IOException truncated = assertThrows(IOException.class, () -> PipelineModel.resolve(cut, null, Map.of()));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        Path b0 = UntrainedCheckpoint.folder();
        IOException other = assertThrows(
                IOException.class, () -> PipelineModel.resolve(b0, null, Map.of("model.backbone", "pvt_v2_b1")));
        assertTrue(
                other.getMessage().contains("pvt_v2_b0") && other.getMessage().contains("pvt_v2_b1"),
                other.getMessage());

        Path carded = UntrainedCheckpoint.copyTo(dir.resolve("carded"));
        Files.writeString(carded.resolve(ModelCard.FILE), "```\n" + "0".repeat(64) + "  model.params\n```\n");
        IOException card = assertThrows(IOException.class, () -> PipelineModel.resolve(carded, null, Map.of()));
        assertTrue(card.getMessage().contains("does not match the model card"), card.getMessage());
    }
}
