package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.model.ModelConfig;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.testing.GoldenClips;
import org.salistream.ops.testing.Golden;

/**
 * {@link SaliModelLoader#open} refuses a {@code .pth} that is not the model asked for, with a
 * {@link CheckpointException} (and no other exception type) whose message says what is wrong: a truncated
 * copy of the golden weights, random bytes, the b0 weights for a b1 model, keys removed or added (in
 * PyTorch's {@code load_state_dict} words), a tensor of the wrong shape.
 */
class PthRefusalTest {

    private static final ModelConfig B0 =
            ModelConfig.published().withBackbone(PvtV2Config.B0).withSize(256);

    private static Path golden;
    private static StateDict goldenDict;

    @TempDir
    Path tmp;

    @BeforeAll
    static void read() throws IOException {
        golden = Golden.require(GoldenClips.EVICT + "/weights.pth");
        goldenDict = TorchCheckpoint.loadStateDict(golden);
    }

    private static String refusal(Path file, ModelConfig config) {
        CheckpointException e =
                assertThrowsExactly(CheckpointException.class, () -> SaliModelLoader.open(file, config));
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
        }
    }

    @Test
    void aTruncatedCopyOfTheGoldenWeightsIsReportedAsIncomplete() throws IOException {
        for (double fraction : new double[] {0.01, 0.5, 0.999}) {
            byte[] head;
            try (InputStream in = Files.newInputStream(golden)) {
                head = in.readNBytes((int) (Files.size(golden) * fraction));
            }
            Path cut = Files.write(tmp.resolve("cut.pth"), head);
            assertMentions(refusal(cut, B0), "cut.pth", "truncated or corrupt zip", "incomplete");
        }
    }

    @Test
    void randomBytesAreNotACheckpoint() throws IOException {
        byte[] noise = new byte[1 << 16];
        new Random(1).nextBytes(noise);
        Path f = Files.write(tmp.resolve("noise.pth"), noise);
        assertMentions(refusal(f, B0), "noise.pth", "not a PyTorch checkpoint");
    }

    @Test
    void theB0WeightsForAnotherBackboneNameBoth() {
        assertMentions(refusal(golden, B0.withBackbone(PvtV2Config.B1)), "pvt_v2_b0", "pvt_v2_b1", "--backbone");
        assertMentions(refusal(golden, B0.withBackbone(PvtV2Config.B5)), "pvt_v2_b0", "pvt_v2_b5");
    }

    @Test
    void missingKeysAreListedInPyTorchsWords() throws IOException {
        StateDict sd = goldenDict.filter(k -> !k.equals("membranch.Key0.weight") && !k.startsWith("nlnet.conv1."));
        Path f = PthFiles.write(sd, tmp.resolve("missing.pth"));
        String m = refusal(f, B0);
        assertMentions(
                m,
                "Error(s) in loading state_dict for VideoModel:",
                "Missing key(s) in state_dict:",
                "\"membranch.Key0.weight\"",
                "\"nlnet.conv1.");
        assertTrue(!m.contains("Unexpected key(s)"), m);
    }

    @Test
    void anEncoderWithABlockRemovedIsReportedAsMissingKeysNotAsAnotherBackbone() throws IOException {
        // Without its last block the encoder matches no known configuration; the strict load names the keys.
        StateDict sd = goldenDict.filter(k -> !k.startsWith(SaliModelLoader.ENCODER_PREFIX + "block4.1."));
        Path f = PthFiles.write(sd, tmp.resolve("noblock.pth"));
        assertMentions(
                refusal(f, B0),
                "Missing key(s) in state_dict:",
                "\"" + SaliModelLoader.ENCODER_PREFIX + "block4.1.norm1.weight\"");
    }

    @Test
    void unexpectedKeysAndWrongShapesAreRefused() throws IOException {
        Map<String, TensorData> extra = new LinkedHashMap<>(goldenDict.asMap());
        extra.put("head.weight", TensorData.ofFloats(new float[4], 2, 2));
        String m = refusal(PthFiles.write(new StateDict(extra), tmp.resolve("extra.pth")), B0);
        assertMentions(m, "Unexpected key(s) in state_dict: \"head.weight\"");

        Map<String, TensorData> reshaped = new LinkedHashMap<>(goldenDict.asMap());
        reshaped.put("membranch.Key0.weight", TensorData.ofFloats(new float[6], 2, 3));
        m = refusal(PthFiles.write(new StateDict(reshaped), tmp.resolve("shape.pth")), B0);
        assertMentions(m, "size mismatch for membranch.Key0.weight: copying a param with shape torch.Size([2, 3])");
    }

    @Test
    void anEncoderOnlyFileIsNotTakenForAFullModel() throws IOException {
        StateDict encoder = goldenDict.selectPrefix(SaliModelLoader.ENCODER_PREFIX);
        Path f = PthFiles.write(encoder, tmp.resolve("pvt_v2_b0.pth"));
        assertMentions(refusal(f, B0), "not a SALI checkpoint", "pretrained backbone");
    }

    @Test
    void theGoldenWeightsLoadStrictlyWithEveryValueAsInTheFile() throws CheckpointException {
        // The counterpart of the refusals: the same file, as asked for, opens, holding the file's values.
        try (DjlSaliStages opened = SaliModelLoader.open(golden, B0)) {
            StateDict loaded = StateDictMapper.toStateDict(opened.network());
            assertTrue(loaded.size() > 0);
            for (String k : loaded.keys()) {
                assertArrayEquals(
                        goldenDict.get(k).toFloatArray(), loaded.get(k).toFloatArray(), k);
            }
        }
    }
}
