package org.salistream.pipeline.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.salistream.model.NeighborMode;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.ShortTermWindow;

/**
 * Short-term windows as the first release's {@link ShortTermWindowSerializer} wrote them into checkpoints
 * (version 1: a version byte, the neighbour mode's ordinal, big-endian fields, features in their version 1
 * little-endian form). Fixtures under {@code src/test/resources/formats}, written once by that release
 * ({@code -Dsali.write-format-fixtures=true}); a restore from such a checkpoint must give the same windows.
 */
class ShortTermWindowFormatTest {

    private static FrameFeatures features(float start) {
        float[][] maps = {new float[2 * 4 * 4], new float[2 * 2 * 2], new float[2]};
        for (float[] m : maps) {
            for (int i = 0; i < m.length; i++) {
                m[i] = start + i * 0.75f;
            }
        }
        return new FrameFeatures(2, new int[] {4, 2, 1}, new int[] {4, 2, 1}, maps);
    }

    /** The causal mode (ordinal 1 in version 1) holding one frame. */
    static ShortTermWindow previousHoldingOne() {
        return ShortTermWindow.start(NeighborMode.PREVIOUS)
                .accept(41, features(-3))
                .window();
    }

    /** The published mode (ordinal 0) holding two frames. */
    static ShortTermWindow nextHoldingTwo() {
        return ShortTermWindow.start(NeighborMode.NEXT)
                .accept(7, features(1))
                .window()
                .accept(8, features(2))
                .window();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ShortTermWindowFormatTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static ShortTermWindow read(String name) throws IOException {
        return StateSerializersTest.deserializeAll(ShortTermWindowSerializer.INSTANCE, resource(name));
    }

    @Test
    void aCausalWindowFromAFirstReleaseCheckpointRestoresAsTheSameWindow() throws IOException {
        byte[] v1 = resource("formats/short-term-window-previous-v1.bin");
        assertEquals(1, v1[4], "the fixture is version 1 (after Flink's 4-byte length)");
        ShortTermWindow back = read("formats/short-term-window-previous-v1.bin");
        assertEquals(NeighborMode.PREVIOUS, back.mode());
        assertTrue(StateSerializersTest.sameWindow(previousHoldingOne(), back), back::toString);
    }

    @Test
    void aPublishedModeWindowFromAFirstReleaseCheckpointRestoresAsTheSameWindow() throws IOException {
        ShortTermWindow back = read("formats/short-term-window-next-v1.bin");
        assertEquals(NeighborMode.NEXT, back.mode());
        assertTrue(StateSerializersTest.sameWindow(nextHoldingTwo(), back), back::toString);
    }

    @Test
    @EnabledIfSystemProperty(named = "sali.write-format-fixtures", matches = "true")
    void writesTheFixturesWithThisBuildsWriter() throws IOException {
        Path dir = Path.of("src/test/resources/formats");
        Files.write(
                dir.resolve("short-term-window-previous-v1.bin"),
                StateSerializersTest.serialize(ShortTermWindowSerializer.INSTANCE, previousHoldingOne()));
        Files.write(
                dir.resolve("short-term-window-next-v1.bin"),
                StateSerializersTest.serialize(ShortTermWindowSerializer.INSTANCE, nextHoldingTwo()));
        assertTrue(Files.size(dir.resolve("short-term-window-next-v1.bin")) > 0);
    }
}
