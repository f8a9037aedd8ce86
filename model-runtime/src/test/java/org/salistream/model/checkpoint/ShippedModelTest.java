package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salistream.model.ModelConfig;
import org.salistream.model.pvt.PvtV2Config;

/**
 * The shipped checkpoint ({@value ShippedModel#FOLDER}) is where the commands look for it, small, a PVTv2-B0,
 * and described by a model card whose SHA-256 lines match its files (the card never describes other weights);
 * {@code --weights untrained} is the only way to random weights.
 */
class ShippedModelTest {

    private static final long MAX_BYTES = 20L * 1024 * 1024;

    @Test
    void theShippedCheckpointMatchesItsModelCard() throws Exception {
        Path dir = ShippedModel.locate().orElseThrow(() -> new AssertionError(ShippedModel.FOLDER + " is missing"));
        String card = Files.readString(dir.resolve(ModelCard.FILE));
        Map<String, String> digests = ModelCard.digests(card);
        assertTrue(
                digests.keySet().containsAll(java.util.List.of(NativeCheckpoint.PARAMS, NativeCheckpoint.METADATA)),
                "the card lists the SHA-256 of both files: " + digests);
        for (Map.Entry<String, String> d : digests.entrySet()) {
            assertEquals(Sha256.ofFile(dir.resolve(d.getKey())), d.getValue(), d.getKey());
        }
        ModelCard.verify(dir);
        CheckpointMetadata meta =
                NativeCheckpoint.verify(dir, ModelConfig.published().withBackbone(PvtV2Config.B0));
        assertEquals("pvt_v2_b0", meta.backbone());
        assertTrue(Files.size(dir.resolve(NativeCheckpoint.PARAMS)) <= MAX_BYTES, "at most 20 MiB");
        String lower = card.toLowerCase(Locale.ROOT);
        for (String must : new String[] {"not for clinical use", "seed", "sali train", "held-out", "steps"}) {
            assertTrue(lower.contains(must), "the model card says " + must);
        }
    }

    @Test
    void untrainedWeightsOnlyWhenAskedFor() {
        assertNull(ShippedModel.resolve(Path.of(ShippedModel.UNTRAINED)));
        assertEquals(Path.of("x.pth"), ShippedModel.resolve(Path.of("x.pth")));
        assertTrue(ShippedModel.describe(null).contains("UNTRAINED"));
        assertTrue(ShippedModel.describe(ShippedModel.resolve(null)).contains("NOT for clinical use"));
    }

    @Test
    void aCardWithoutDigestsIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("card");
        Files.writeString(dir.resolve(ModelCard.FILE), "# a card without digests\n");
        assertThrows(org.salistream.model.checkpoint.CheckpointException.class, () -> ModelCard.verify(dir));
    }
}
