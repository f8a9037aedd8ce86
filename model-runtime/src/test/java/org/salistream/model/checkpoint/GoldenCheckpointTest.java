package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salistream.ops.testing.Golden;

/**
 * Reads the golden {@code sali-b0-352/weights.pth}, written by a real {@code torch.save} of the published
 * {@code VideoModel} with a {@code pvt_v2_b0} encoder, and checks counts, key names, shapes derived from the
 * published code, dtypes and values (sums computed independently with NumPy from the raw storage entries).
 */
class GoldenCheckpointTest {

    private static final String WEIGHTS = "sali-b0-352/weights.pth";
    private static StateDict sd;
    private static Path file;

    @BeforeAll
    static void read() throws IOException {
        file = Golden.require(WEIGHTS);
        sd = TorchCheckpoint.loadStateDict(file);
    }

    @Test
    void elementCountOfEveryStateDictEntryEqualsTheConfigParams() throws IOException {
        long params = new ObjectMapper()
                .readTree(Golden.require("sali-b0-352/config.json").toFile())
                .get("params")
                .asLong();
        // config.json's "params" is sum(v.numel() for v in state_dict().values()): parameters AND buffers,
        // num_batches_tracked included. The other conventions give different numbers, asserted to pin this.
        assertEquals(612, sd.size());
        assertEquals(4656614L, params);
        assertEquals(params, sd.totalNumel());
        long floats = sd.numel(k -> !k.endsWith(StateDict.NUM_BATCHES_TRACKED));
        long parametersOnly = sd.numel(k -> !k.endsWith(".running_mean")
                && !k.endsWith(".running_var")
                && !k.endsWith(StateDict.NUM_BATCHES_TRACKED));
        assertEquals(params - 56, floats);
        assertEquals(4652590L, parametersOnly);
    }

    @Test
    void officialKeyNamesHaveTheShapesOfThePublishedModules() {
        Map<String, long[]> expected = Map.of(
                // pvt_v2_b0: embed_dims 32/64/160/256; patch_embed1 is a 7x7 conv from RGB.
                "backbone.feat_net.pvtv2_en.patch_embed1.proj.weight", new long[] {32, 3, 7, 7},
                "backbone.feat_net.pvtv2_en.block1.0.attn.q.weight", new long[] {32, 32},
                "backbone.feat_net.pvtv2_en.patch_embed4.proj.weight", new long[] {256, 160, 3, 3},
                "backbone.feat_net.pvtv2_en.block4.0.mlp.fc1.weight", new long[] {1024, 256}, // mlp_ratio 4
                "backbone.feat_net.rfb2_1.branch0.0.conv.weight", new long[] {32, 64, 1, 1}, // RFB in = 64 for b0
                // DCNv2Pack: conv_offset out = deformable_groups * 3 * kh * kw = 8 * 3 * 9.
                "pcd_align.dcn_pack.l3.conv_offset.weight", new long[] {216, 32, 3, 3},
                "membranch.Key0.weight", new long[] {4, 32, 3, 3}, // indim // 8
                "membranch.Value0.weight", new long[] {16, 32, 3, 3}, // indim // 2
                // SAM(in_planes * 2): g = Sequential(conv 64 -> 32, maxpool).
                "nlnet.nl_layer1.g.0.weight", new long[] {32, 64, 1, 1},
                // GRA(channel, channel): one group, so channel + 1 input channels.
                "backbone.decoder.RS5.weak_gra.conv.0.weight", new long[] {32, 33, 3, 3});
        expected.forEach((k, shape) -> {
            assertTrue(sd.contains(k), k);
            assertArrayEquals(shape, sd.get(k).shape(), k);
            assertEquals(TorchDtype.FLOAT32, sd.get(k).dtype(), k);
        });
    }

    @Test
    void numBatchesTrackedAreInt64Scalars() {
        long count = 0;
        for (Map.Entry<String, TensorData> e : sd) {
            if (e.getKey().endsWith(StateDict.NUM_BATCHES_TRACKED)) {
                count++;
                assertEquals(TorchDtype.INT64, e.getValue().dtype(), e.getKey());
                assertArrayEquals(new long[0], e.getValue().shape(), e.getKey());
                assertEquals(1, e.getValue().numel());
                assertTrue(e.getValue().toLongArray()[0] >= 0, e.getKey());
            } else {
                assertEquals(TorchDtype.FLOAT32, e.getValue().dtype(), e.getKey());
            }
        }
        assertEquals(56, count);
    }

    @Test
    void floatValuesAreFiniteAndNonTrivial() {
        for (Map.Entry<String, TensorData> e : sd) {
            if (e.getValue().dtype() != TorchDtype.FLOAT32) {
                continue;
            }
            float[] v = e.getValue().toFloatArray();
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (float x : v) {
                assertTrue(Float.isFinite(x), e.getKey());
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            // The README promises random values everywhere: no zero offsets, no identity BatchNorm.
            assertTrue(v.length == 1 || max > min, e.getKey() + " is constant");
            assertTrue(max != 0 || min != 0, e.getKey() + " is all zero");
        }
    }

    @Test
    void valuesMatchSumsComputedWithNumpyFromTheRawEntries() {
        assertSum(
                "backbone.feat_net.pvtv2_en.patch_embed1.proj.weight",
                0.5659435794368619,
                0.01978159509599209,
                0.031688299030065536);
        assertSum(
                "pcd_align.dcn_pack.l3.conv_offset.weight",
                -17.703154846384678,
                0.030955372378230095,
                -0.04249713942408562);
        assertSum(
                "backbone.feat_net.rfb2_1.branch0.0.bn.running_var",
                29.275262773036957,
                0.9441065788269043,
                1.0395920276641846);
        assertSum(
                "backbone.feat_net.pvtv2_en.block4.0.mlp.fc1.weight",
                -5.194198624751018,
                -0.007599224336445332,
                -0.005793644580990076);
    }

    private static void assertSum(String key, double sum, double first, double last) {
        float[] v = sd.get(key).toFloatArray();
        double s = 0;
        for (float x : v) {
            s += x;
        }
        assertEquals(sum, s, 1e-9 * Math.max(1, Math.abs(sum)) + 1e-12, key);
        assertEquals(first, v[0], 0.0, key);
        assertEquals(last, v[v.length - 1], 0.0, key);
    }

    @Test
    void openingReadsShapesBeforeAnyWeightAndAgreesWithReadAll() throws IOException {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
            assertEquals("weights", ckpt.archiveName());
            assertEquals("3", ckpt.formatVersion().orElseThrow());
            assertFalse(ckpt.isBigEndian());
            assertTrue(ckpt.stateDictKey().isEmpty());
            assertTrue(sd.sourceKey().isEmpty());
            assertEquals(sd.keys().stream().toList(), ckpt.names());
            Map<String, long[]> shapes = ckpt.shapes();
            sd.shapes().forEach((k, s) -> assertArrayEquals(s, shapes.get(k), k));
            assertEquals(
                    "backbone.feat_net.pvtv2_en.patch_embed1.proj.weight",
                    ckpt.names().get(0));
            assertEquals("membranch.Value2.bias", ckpt.names().get(ckpt.names().size() - 1));
            String key = "membranch.Key0.weight";
            assertArrayEquals(sd.get(key).toFloatArray(), ckpt.read(key).toFloatArray());
            assertFalse(ckpt.isParameter(key));
        }
    }

    @Test
    void theModelMatchesItsOwnStateDictAndTheBackboneRoundTripsThroughItsPrefix() {
        assertTrue(sd.compareTo(sd.shapes()).isEmpty());
        String prefix = "backbone.feat_net.pvtv2_en.";
        StateDict backbone = sd.selectPrefix(prefix);
        assertTrue(backbone.contains("patch_embed1.proj.weight"));
        assertTrue(backbone.size() > 100 && backbone.size() < sd.size());
        StateDictMismatch m = backbone.withPrefix(prefix).compareTo(sd.shapes());
        assertTrue(m.unexpectedKeys().isEmpty() && m.sizeMismatches().isEmpty());
        assertEquals(sd.size() - backbone.size(), m.missingKeys().size());
    }

    @Test
    void writerEmitsTheSameBytesAsTorchSaveForTheFirstGoldenTensor() throws IOException {
        byte[] golden;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            golden = zip.getInputStream(zip.getEntry("weights/data.pkl")).readAllBytes();
        }
        byte[] ours = new PthWriter("weights")
                .storage("0", TorchDtype.FLOAT32, new byte[4704 * 4])
                .view(
                        "backbone.feat_net.pvtv2_en.patch_embed1.proj.weight",
                        "0",
                        0,
                        new long[] {32, 3, 7, 7},
                        new long[] {147, 49, 7, 1})
                .pickle();
        // Up to the REDUCE + BINPUT of the first tensor (byte 229 in the disassembly), they are identical.
        assertArrayEquals(Arrays.copyOf(golden, 229), Arrays.copyOf(ours, 229));
        assertNotEquals(golden.length, ours.length);
    }
}
