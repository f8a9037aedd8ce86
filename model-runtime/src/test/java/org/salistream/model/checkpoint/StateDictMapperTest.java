package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.sali.SaliNetwork;
import org.salistream.model.testing.GoldenClips;
import org.salistream.ops.testing.Golden;

/**
 * The port's parameter names are the published {@code state_dict}'s: for PVTv2-B0, the key set that
 * {@link StateDictMapper#expectedShapes} derives from the block tree equals the golden {@code weights.pth}'s
 * exactly (612 keys, parameters, BatchNorm buffers and {@code num_batches_tracked}), shape for shape.
 */
class StateDictMapperTest {

    @Test
    void expectedShapesOfB0AreExactlyTheGoldenStateDict() throws IOException {
        StateDict golden = TorchCheckpoint.loadStateDict(Golden.require(GoldenClips.EVICT + "/weights.pth"));
        // Shapes are fixed at construction: no initialisation (and no native memory) is needed.
        Map<String, long[]> expected = StateDictMapper.expectedShapes(new SaliNetwork(PvtV2Config.B0));
        assertEquals(612, golden.size());
        List<String> onlyModel = new ArrayList<>(new TreeSet<>(expected.keySet()));
        onlyModel.removeAll(golden.keys());
        List<String> onlyFile = new ArrayList<>(new TreeSet<>(golden.keys()));
        onlyFile.removeAll(expected.keySet());
        assertTrue(
                onlyModel.isEmpty() && onlyFile.isEmpty(),
                "only in the model: " + onlyModel + "; only in the file: " + onlyFile);
        assertEquals(612, expected.size());
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            assertArrayEquals(golden.get(e.getKey()).shape(), e.getValue(), e.getKey());
        }
        assertTrue(golden.compareTo(expected).isEmpty());
    }

    @Test
    void theLargerBackbonesDifferOnlyInTheEncoderAndTheRfbInputs() {
        Map<String, long[]> b0 = StateDictMapper.expectedShapes(new SaliNetwork(PvtV2Config.B0));
        Map<String, long[]> b5 = StateDictMapper.expectedShapes(new SaliNetwork(PvtV2Config.B5));
        for (Map.Entry<String, long[]> e : b0.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith(SaliModelLoader.ENCODER_PREFIX) && !k.startsWith("backbone.feat_net.rfb")) {
                assertArrayEquals(e.getValue(), b5.get(k), k);
            }
        }
        // RFB input channels follow the encoder's widths: 64/160/256 for b0, 128/320/512 for b1..b5.
        assertEquals(64, b0.get("backbone.feat_net.rfb2_1.branch0.0.conv.weight")[1]);
        assertEquals(128, b5.get("backbone.feat_net.rfb2_1.branch0.0.conv.weight")[1]);
        // pvt_v2_b5 has depths 3/6/40/3.
        assertTrue(b5.containsKey(SaliModelLoader.ENCODER_PREFIX + "block3.39.norm1.weight"));
        assertTrue(!b5.containsKey(SaliModelLoader.ENCODER_PREFIX + "block3.40.norm1.weight"));
    }
}
