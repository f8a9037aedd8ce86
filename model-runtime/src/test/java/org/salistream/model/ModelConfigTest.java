package org.salistream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salistream.model.pvt.PvtV2Config;

/** Model settings: the published defaults, the configuration keys, and clear messages for bad values. */
class ModelConfigTest {

    private static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void thePublishedDefaults() {
        ModelConfig c = ModelConfig.published();
        assertEquals(PvtV2Config.B5, c.backbone());
        assertEquals(352, c.size());
        assertEquals(5, c.memFreq());
        assertEquals(35, c.memLength());
        assertEquals(20, c.topK());
        assertEquals(NeighborMode.NEXT, c.neighbor());
        assertEquals(44 * 44, c.positions(0));
        assertEquals(22 * 22, c.positions(1));
        assertEquals(11 * 11, c.positions(2));
    }

    @Test
    void sizesThatTheNetworkCannotRunAreRefusedWithTheReason() {
        String m = refusal(() -> ModelConfig.published().withSize(128));
        assertTrue(m.contains("at least 256") && m.contains("got 128") && m.contains("max-pools"), m);
        m = refusal(() -> ModelConfig.published().withSize(350));
        assertTrue(m.contains("multiple of 32") && m.contains("got 350"), m);
        assertEquals(256, ModelConfig.published().withSize(256).size());
        assertEquals(288, ModelConfig.published().withSize(288).size());
    }

    @Test
    void memorySettingsMustBePositive() {
        String m = refusal(() -> ModelConfig.published().withMemory(5, 0, 20));
        assertTrue(m.contains("must be positive") && m.contains("5, 0, 20"), m);
        m = refusal(
                () -> new ModelConfig(PvtV2Config.B0, 352, 5, 35, 20, new float[2], new float[3], NeighborMode.NEXT));
        assertTrue(m.contains("three (RGB) values"), m);
    }

    @Test
    void configurationKeysRoundTripAndNameTheBadOne() {
        ModelConfig c = ModelConfig.published()
                .withBackbone(PvtV2Config.B0)
                .withSize(256)
                .withMemory(2, 3, 10)
                .withNeighbor(NeighborMode.PREVIOUS);
        assertEquals(c, ModelConfig.fromKeys(c.toKeys()::get, ModelConfig.published()));
        assertEquals(ModelConfig.published(), ModelConfig.fromKeys(k -> null, ModelConfig.published()));
        Map<String, String> keys = new HashMap<>(c.toKeys());
        keys.put("model.memory.top-k", "twenty");
        String m = refusal(() -> ModelConfig.fromKeys(keys::get, ModelConfig.published()));
        assertTrue(m.contains("model.memory.top-k") && m.contains("'twenty'"), m);
        keys.put("model.memory.top-k", "20");
        keys.put("model.backbone", "resnet50");
        m = refusal(() -> ModelConfig.fromKeys(keys::get, ModelConfig.published()));
        assertTrue(m.contains("unknown backbone 'resnet50'") && m.contains("pvt_v2_b5"), m);
    }
}
