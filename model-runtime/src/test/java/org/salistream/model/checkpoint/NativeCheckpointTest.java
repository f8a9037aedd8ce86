package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.model.ModelConfig;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.FramePolicy;
import org.salistream.model.stage.SegmentRequest;
import org.salistream.model.testing.GoldenClips;
import org.salistream.model.testing.UntrainedCheckpoint;
import org.salistream.ops.testing.Golden;

/**
 * The native checkpoint ({@code model.json} + {@code model.params}): the golden weights survive the trip
 * {@code .pth} -> native -> reopened bit for bit (identical logits), and a tampered or mislabelled
 * checkpoint is refused with a {@link CheckpointException} that says why.
 */
class NativeCheckpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theGoldenWeightsWrittenNativeAndReopenedGiveIdenticalLogits() throws Exception {
        Path dir = Golden.require(GoldenClips.EVICT);
        ModelConfig config = GoldenClips.config(dir);
        RgbImage frame = GoldenClips.frames(dir).get(0);
        Path nativeDir = tmp.resolve("native");
        float[] fromPth;
        try (DjlSaliStages pth = SaliModelLoader.open(dir.resolve("weights.pth"), config)) {
            CheckpointMetadata meta =
                    NativeCheckpoint.write(nativeDir, pth.network(), config, Map.of("source", "golden weights.pth"));
            assertEquals("pvt_v2_b0", meta.backbone());
            assertEquals(256, meta.inputSize());
            assertEquals(Sha256.ofFile(nativeDir.resolve(NativeCheckpoint.PARAMS)), meta.sha256());
            fromPth = logits(pth, frame);
        }
        assertTrue(NativeCheckpoint.isNative(nativeDir));
        assertTrue(NativeCheckpoint.isNative(nativeDir.resolve(NativeCheckpoint.METADATA)));
        CheckpointMetadata read = NativeCheckpoint.readMetadata(nativeDir);
        assertEquals(config, read.toModelConfig(ModelConfig.published()));
        assertEquals("golden weights.pth", read.provenance().get("source"));
        // Reopened through the metadata file as well as the folder.
        try (DjlSaliStages reopened = SaliModelLoader.open(nativeDir.resolve(NativeCheckpoint.METADATA), config)) {
            assertArrayEquals(fromPth, logits(reopened, frame));
        }
    }

    /** The logits of one frame segmented alone (its own neighbour, no memory). */
    static float[] logits(DjlSaliStages model, RgbImage frame) {
        FrameFeatures f = model.encode(List.of(frame)).get(0);
        return model.segment(List.of(new SegmentRequest(f, f, MemoryState.empty(), FramePolicy.START)))
                .get(0)
                .logits();
    }

    private Path copy() throws IOException {
        return UntrainedCheckpoint.copyTo(tmp.resolve("copy"));
    }

    private static void editMetadata(Path dir, Consumer<ObjectNode> edit) throws IOException {
        Path f = dir.resolve(NativeCheckpoint.METADATA);
        ObjectNode json = (ObjectNode) JSON.readTree(f.toFile());
        edit.accept(json);
        JSON.writeValue(f.toFile(), json);
    }

    private static String refusal(Path dir, ModelConfig config) {
        return assertThrowsExactly(CheckpointException.class, () -> SaliModelLoader.open(dir, config))
                .getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
        }
    }

    @Test
    void theUntrainedCheckpointOpensWithTheWeightsItWasWrittenWith() throws CheckpointException {
        try (DjlSaliStages opened = SaliModelLoader.open(UntrainedCheckpoint.folder(), UntrainedCheckpoint.CONFIG);
                DjlSaliStages written = SaliModelLoader.untrained(UntrainedCheckpoint.CONFIG)) {
            StateDict read = StateDictMapper.toStateDict(opened.network());
            StateDict wanted = StateDictMapper.toStateDict(written.network());
            assertEquals(wanted.keys(), read.keys());
            for (String k : wanted.keys()) {
                assertArrayEquals(wanted.get(k).toFloatArray(), read.get(k).toFloatArray(), k);
            }
        }
    }

    @Test
    void tamperedParametersFailTheChecksum() throws IOException {
        Path dir = copy();
        Path params = dir.resolve(NativeCheckpoint.PARAMS);
        byte[] b = Files.readAllBytes(params);
        b[b.length / 2] ^= 0x01;
        Files.write(params, b);
        assertMentions(refusal(dir, UntrainedCheckpoint.CONFIG), "model.params", "do not match the checksum");
        Files.write(params, java.util.Arrays.copyOf(b, b.length - 10));
        assertMentions(refusal(dir, UntrainedCheckpoint.CONFIG), "model.params", "truncated file");
    }

    @Test
    void metadataNamingAnotherBackboneIsRefusedBeforeReading() throws IOException {
        Path dir = copy();
        editMetadata(dir, j -> j.put("backbone", "pvt_v2_b1"));
        assertMentions(refusal(dir, UntrainedCheckpoint.CONFIG), "holds a pvt_v2_b1 model", "pvt_v2_b0 was requested");
    }

    @Test
    void b0ParametersRelabelledAsB1DoNotLoadIntoAB1Network() throws IOException {
        // The checksum holds (only model.json changed) and B0 and B1 share every parameter name: the
        // shapes give the relabelling away.
        Path dir = copy();
        editMetadata(dir, j -> j.put("backbone", "pvt_v2_b1"));
        String m = refusal(dir, UntrainedCheckpoint.CONFIG.withBackbone(PvtV2Config.B1));
        assertMentions(
                m,
                "do not fit a pvt_v2_b1 SALI network",
                "size mismatch for " + SaliModelLoader.ENCODER_PREFIX + "patch_embed1.proj.weight",
                "torch.Size([32, 3, 7, 7])");
    }

    @Test
    void b0ParametersRelabelledAsB5RunOutOfParameters() throws IOException {
        Path dir = copy();
        editMetadata(dir, j -> j.put("backbone", "pvt_v2_b5"));
        assertMentions(
                refusal(dir, UntrainedCheckpoint.CONFIG.withBackbone(PvtV2Config.B5)),
                "do not fit a pvt_v2_b5 SALI network");
    }

    @Test
    void brokenOrIncompleteMetadataIsRefused() throws IOException {
        Path dir = copy();
        Files.writeString(dir.resolve(NativeCheckpoint.METADATA), "{\"format\": ");
        assertMentions(refusal(dir, UntrainedCheckpoint.CONFIG), "unreadable checkpoint metadata");

        dir = UntrainedCheckpoint.copyTo(tmp.resolve("other"));
        editMetadata(dir, j -> j.put("architecture", "UNet"));
        assertMentions(refusal(dir, UntrainedCheckpoint.CONFIG), "not a SALI Stream checkpoint", "UNet");

        dir = UntrainedCheckpoint.copyTo(tmp.resolve("newer"));
        editMetadata(dir, j -> j.put("formatVersion", 99));
        assertMentions(refusal(dir, UntrainedCheckpoint.CONFIG), "version 99", "newer than this build");

        dir = UntrainedCheckpoint.copyTo(tmp.resolve("escape"));
        editMetadata(dir, j -> j.put("weightsFile", "../model.params"));
        assertMentions(refusal(dir, UntrainedCheckpoint.CONFIG), "weightsFile must be a file name");

        dir = UntrainedCheckpoint.copyTo(tmp.resolve("noparams"));
        Files.delete(dir.resolve(NativeCheckpoint.PARAMS));
        assertMentions(refusal(dir, UntrainedCheckpoint.CONFIG), "model.params", "is missing");
    }
}
