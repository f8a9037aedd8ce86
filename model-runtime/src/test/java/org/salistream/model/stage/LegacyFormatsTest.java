package org.salistream.model.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.salistream.model.memory.MemoryState;

/**
 * The model-runtime values' bytes as the first release wrote them (version 1, little-endian, before the shared
 * codec): Flink checkpoints of that release hold them, so every later reader must decode them to the same
 * values. The fixtures under {@code src/test/resources/formats} were written once by that release's code
 * ({@code -Dsali.write-format-fixtures=true}); they are never rewritten by a later writer.
 */
class LegacyFormatsTest {

    static final String MEMORY_V1 = "formats/memory-state-v1.bin";
    static final String FEATURES_V1 = "formats/frame-features-v1.bin";

    /** A bank of two 4-position frames (2 key and 3 value channels) after one read: every field non-trivial. */
    static MemoryState memorySample() {
        int[] positions = {4, 2, 1};
        MemoryState m = MemoryState.empty();
        for (int frame = 0; frame < 2; frame++) {
            float[][] keys = new float[3][];
            float[][] values = new float[3][];
            for (int s = 0; s < 3; s++) {
                keys[s] = ramp(2 * positions[s], frame + 0.25f * s);
                values[s] = ramp(3 * positions[s], -frame - 0.5f * s);
            }
            m = m.withFrameAdded(keys, values, positions, 8);
        }
        float[][] usage = new float[3][];
        for (int s = 0; s < 3; s++) {
            usage[s] = ramp(2 * positions[s], 0.125f);
        }
        return m.withRead(usage);
    }

    /** Features of 2 channels at 4 x 6, 2 x 3, 1 x 1. */
    static FrameFeatures featuresSample() {
        return new FrameFeatures(2, new int[] {4, 2, 1}, new int[] {6, 3, 1}, new float[][] {
            ramp(48, 1), ramp(12, -2), ramp(2, Float.MIN_VALUE)
        });
    }

    private static float[] ramp(int n, float start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = start + i * 0.5f - (i % 3) * 1e-3f;
        }
        return a;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = LegacyFormatsTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void aMemoryBankWrittenByTheFirstReleaseReadsBackAsTheSameBank() throws IOException {
        byte[] v1 = resource(MEMORY_V1);
        assertEquals(1, v1[4], "the fixture is version 1");
        assertEquals(memorySample(), MemoryState.fromBytes(v1));
    }

    @Test
    void frameFeaturesWrittenByTheFirstReleaseReadBackAsTheSameFeatures() throws IOException {
        byte[] v1 = resource(FEATURES_V1);
        assertEquals(1, v1[4], "the fixture is version 1");
        assertEquals(featuresSample(), FrameFeatures.fromBytes(v1));
    }

    @Test
    @EnabledIfSystemProperty(named = "sali.write-format-fixtures", matches = "true")
    void writesTheFixturesWithThisBuildsWriter() throws IOException {
        Path dir = Path.of("src/test/resources/formats");
        Files.write(dir.resolve("memory-state-v1.bin"), memorySample().toBytes());
        Files.write(dir.resolve("frame-features-v1.bin"), featuresSample().toBytes());
        assertEquals(memorySample(), MemoryState.fromBytes(Files.readAllBytes(dir.resolve("memory-state-v1.bin"))));
        assertEquals(
                featuresSample(), FrameFeatures.fromBytes(Files.readAllBytes(dir.resolve("frame-features-v1.bin"))));
    }
}
