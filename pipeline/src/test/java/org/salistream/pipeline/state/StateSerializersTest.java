package org.salistream.pipeline.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.salistream.model.NeighborMode;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.ShortTermWindow;
import org.salistream.pipeline.testing.StateFixtures;

/**
 * The Flink serializers of the SALI operator's state (the memory bank and the short-term window, both
 * model-runtime values with their own byte forms): round trips through Flink's memory views, raw copies,
 * snapshot compatibility, corrupt input, and Flink's own serializer test suite.
 */
class StateSerializersTest {

    private static final int[] SMALL_POSITIONS = {64, 16, 4};

    /** Features of SALI at 352: 32 channels at 44, 22, 11. */
    private static final FrameFeatures F0 = StateFixtures.features(32, 44, 0);

    private static final FrameFeatures F1 = StateFixtures.features(32, 44, 1);

    static ShortTermWindow nextModeHoldingTwo() {
        ShortTermWindow w =
                ShortTermWindow.start(NeighborMode.NEXT).accept(7, F0).window();
        return w.accept(8, F1).window();
    }

    static ShortTermWindow previousModeHoldingOne() {
        return ShortTermWindow.start(NeighborMode.PREVIOUS).accept(3, F1).window();
    }

    static boolean sameWindow(ShortTermWindow a, ShortTermWindow b) {
        return a.mode() == b.mode()
                && a.nextOrdinal() == b.nextOrdinal()
                && Objects.equals(a.previous(), b.previous())
                && Objects.equals(a.pending(), b.pending());
    }

    static <T> byte[] serialize(TypeSerializer<T> s, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    static <T> T deserializeAll(TypeSerializer<T> s, byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        T v = s.deserialize(in);
        assertEquals(0, in.available(), "the record is read to its end");
        return v;
    }

    static <T> T roundTrip(TypeSerializer<T> s, T value) throws IOException {
        return deserializeAll(s, serialize(s, value));
    }

    /** A serialized record with a given payload, as {@link BytesBackedSerializer} frames it. */
    static byte[] framed(byte[] payload) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(payload.length + 4);
        out.writeInt(payload.length);
        out.write(payload);
        return out.getCopyOfBuffer();
    }

    /** Deserializing must fail with an IOException or IllegalArgumentException; returns its message. */
    static String failure(TypeSerializer<?> s, byte[] bytes) {
        Exception e = assertThrows(Exception.class, () -> s.deserialize(new DataInputDeserializer(bytes)));
        assertTrue(e instanceof IOException || e instanceof IllegalArgumentException, "a clear error, got " + e);
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        return e.getMessage();
    }

    static void assertMentions(String message, String part) {
        assertTrue(message.contains(part), "'" + message + "' should mention '" + part + "'");
    }

    @Test
    void anEmptyMemoryRoundTrips() throws IOException {
        MemoryState back = roundTrip(MemoryStateSerializer.INSTANCE, MemoryState.empty());
        assertTrue(back.isEmpty());
        assertEquals(MemoryState.empty(), back);
    }

    @Test
    void aMemoryOfThreeScalesOfRealSizesRoundTrips() throws IOException {
        MemoryState m = StateFixtures.memory(StateFixtures.B5_POSITIONS, 4, 16, 3, 11);
        MemoryState back = roundTrip(MemoryStateSerializer.INSTANCE, m);
        assertEquals(m, back);
        assertEquals(3, back.frames());
        assertEquals(1936, back.positionsPerFrame());
        for (int i = 0; i < MemoryState.SCALES; i++) {
            assertEquals(3 * StateFixtures.B5_POSITIONS[i], back.scale(i).length());
            assertTrue(Arrays.equals(m.scale(i).life(), back.scale(i).life()));
        }
    }

    @Test
    void aWindowInNextModeHoldingTwoFramesRoundTrips() throws IOException {
        ShortTermWindow w = nextModeHoldingTwo();
        assertEquals(7, w.previous().index());
        assertEquals(8, w.pending().index());
        ShortTermWindow back = roundTrip(ShortTermWindowSerializer.INSTANCE, w);
        assertTrue(sameWindow(w, back));
        assertEquals(NeighborMode.NEXT, back.mode());
        assertEquals(1, back.nextOrdinal());
        assertEquals(F0, back.previous().features());
        assertEquals(F1, back.pending().features());
    }

    @Test
    void aWindowInPreviousModeHoldingOneFrameRoundTrips() throws IOException {
        ShortTermWindow w = previousModeHoldingOne();
        ShortTermWindow back = roundTrip(ShortTermWindowSerializer.INSTANCE, w);
        assertTrue(sameWindow(w, back));
        assertEquals(NeighborMode.PREVIOUS, back.mode());
        assertEquals(3, back.previous().index());
        assertNull(back.pending());
    }

    @Test
    void aFreshWindowRoundTrips() throws IOException {
        ShortTermWindow back = roundTrip(ShortTermWindowSerializer.INSTANCE, ShortTermWindow.start(NeighborMode.NEXT));
        assertNull(back.previous());
        assertNull(back.pending());
        assertEquals(0, back.nextOrdinal());
    }

    @Test
    void copyingBetweenViewsGivesTheSameBytes() throws IOException {
        MemoryState m = StateFixtures.memory(SMALL_POSITIONS, 4, 16, 2, 5);
        assertCopies(MemoryStateSerializer.INSTANCE, m);
        assertCopies(ShortTermWindowSerializer.INSTANCE, nextModeHoldingTwo());
        assertCopies(ShortTermWindowSerializer.INSTANCE, previousModeHoldingOne());
    }

    private static <T> void assertCopies(TypeSerializer<T> s, T value) throws IOException {
        byte[] bytes = serialize(s, value);
        // Two records in a row: the copy must take exactly one.
        DataOutputSerializer twice = new DataOutputSerializer(2 * bytes.length);
        twice.write(bytes);
        twice.write(bytes);
        DataInputDeserializer in = new DataInputDeserializer(twice.getCopyOfBuffer());
        DataOutputSerializer out = new DataOutputSerializer(bytes.length);
        s.copy(in, out);
        assertEquals(bytes.length, in.getPosition(), "one record consumed");
        assertTrue(Arrays.equals(bytes, out.getCopyOfBuffer()));
    }

    @Test
    void immutableValuesAreCopiedByReference() {
        MemoryState m = StateFixtures.memory(SMALL_POSITIONS, 4, 16, 2, 5);
        assertTrue(MemoryStateSerializer.INSTANCE.isImmutableType());
        assertSame(m, MemoryStateSerializer.INSTANCE.copy(m));
        ShortTermWindow w = nextModeHoldingTwo();
        assertSame(w, ShortTermWindowSerializer.INSTANCE.copy(w, ShortTermWindow.start(NeighborMode.NEXT)));
    }

    @Test
    void snapshotsWrittenAndReadBackAreCompatibleAsIs() throws IOException {
        assertCompatibleAsIs(MemoryStateSerializer.INSTANCE);
        assertCompatibleAsIs(ShortTermWindowSerializer.INSTANCE);
    }

    private static <T> void assertCompatibleAsIs(TypeSerializer<T> s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s.snapshotConfiguration());
        TypeSerializerSnapshot<T> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), StateSerializersTest.class.getClassLoader());
        TypeSerializerSchemaCompatibility<T> c = s.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertTrue(c.isCompatibleAsIs(), s + ": " + c);
        assertSame(s, restored.restoreSerializer());
    }

    @Test
    void theMemorySnapshotRefusesAWindowSnapshot() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<MemoryState> window =
                (TypeSerializerSnapshot) ShortTermWindowSerializer.INSTANCE.snapshotConfiguration();
        assertTrue(MemoryStateSerializer.INSTANCE
                .snapshotConfiguration()
                .resolveSchemaCompatibility(window)
                .isIncompatible());
    }

    @Test
    void bytesThatAreNotAMemoryBankFailNamingTheProblem() throws IOException {
        assertMentions(
                failure(
                        MemoryStateSerializer.INSTANCE,
                        framed("hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII))),
                "corrupt memory bank: not this format");
    }

    @Test
    void anUnknownMemoryFormatVersionFailsNamingIt() throws IOException {
        byte[] b = MemoryState.empty().toBytes();
        b[4] = 9;
        assertMentions(failure(MemoryStateSerializer.INSTANCE, framed(b)), "version 9");
    }

    @Test
    void aTruncatedMemoryBankFailsAsCorrupt() throws IOException {
        byte[] b = StateFixtures.memory(SMALL_POSITIONS, 4, 16, 2, 5).toBytes();
        assertMentions(
                failure(MemoryStateSerializer.INSTANCE, framed(Arrays.copyOf(b, b.length - 100))),
                "corrupt memory bank");
        byte[] longer = Arrays.copyOf(b, b.length + 3);
        assertMentions(failure(MemoryStateSerializer.INSTANCE, framed(longer)), "trailing");
    }

    @Test
    void aRecordCutShortFailsWithEndOfData() throws IOException {
        byte[] whole = serialize(MemoryStateSerializer.INSTANCE, StateFixtures.memory(SMALL_POSITIONS, 4, 16, 2, 5));
        failure(MemoryStateSerializer.INSTANCE, Arrays.copyOf(whole, whole.length / 2));
    }

    @Test
    void aNegativeOrAbsurdLengthFailsNamingIt() throws IOException {
        DataOutputSerializer neg = new DataOutputSerializer(8);
        neg.writeInt(-4);
        assertMentions(failure(MemoryStateSerializer.INSTANCE, neg.getCopyOfBuffer()), "negative length -4");
        assertThrows(
                IOException.class,
                () -> MemoryStateSerializer.INSTANCE.copy(
                        new DataInputDeserializer(neg.getCopyOfBuffer()), new DataOutputSerializer(8)));

        DataOutputSerializer huge = new DataOutputSerializer(1024);
        huge.writeInt(Integer.MAX_VALUE);
        huge.write(new byte[1000]);
        assertMentions(
                failure(ShortTermWindowSerializer.INSTANCE, huge.getCopyOfBuffer()),
                Integer.toString(Integer.MAX_VALUE));
    }

    /** A window's byte form written by hand (the layout of {@link ShortTermWindowSerializer}). */
    private static byte[] windowBytes(int version, int mode, byte[] features, int featuresLength, int trailing)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            out.writeByte(mode);
            out.writeLong(1);
            out.writeBoolean(true);
            out.writeLong(5);
            out.writeInt(featuresLength);
            out.write(features);
            out.writeBoolean(false);
            out.write(new byte[trailing]);
        }
        return framed(bytes.toByteArray());
    }

    @Test
    void corruptWindowsFailNamingTheProblem() throws IOException {
        byte[] f = F0.toBytes();
        ShortTermWindow ok = deserializeAll(ShortTermWindowSerializer.INSTANCE, windowBytes(1, 0, f, f.length, 0));
        assertEquals(5, ok.previous().index(), "the hand-written layout is right");

        assertMentions(failure(ShortTermWindowSerializer.INSTANCE, windowBytes(9, 0, f, f.length, 0)), "version 9");
        assertMentions(
                failure(ShortTermWindowSerializer.INSTANCE, windowBytes(1, 7, f, f.length, 0)),
                "neighbour mode has the unknown code 7");
        assertMentions(
                failure(ShortTermWindowSerializer.INSTANCE, windowBytes(1, 0, f, -1, 0)), "features declares -1 bytes");
        assertMentions(failure(ShortTermWindowSerializer.INSTANCE, windowBytes(1, 0, f, f.length * 2, 0)), "left");
        assertMentions(
                failure(ShortTermWindowSerializer.INSTANCE, windowBytes(1, 0, f, f.length, 2)), "2 trailing bytes");
        byte[] bad = f.clone();
        bad[0] ^= 0x55;
        assertMentions(
                failure(ShortTermWindowSerializer.INSTANCE, windowBytes(1, 0, bad, bad.length, 0)),
                "corrupt frame features: not this format");
    }

    /** Flink's own serializer test suite on memory banks. */
    @Nested
    class MemoryStateSerializerSuite extends SerializerTestBase<MemoryState> {
        @Override
        protected TypeSerializer<MemoryState> createSerializer() {
            return MemoryStateSerializer.INSTANCE;
        }

        @Override
        protected int getLength() {
            return -1;
        }

        @Override
        protected Class<MemoryState> getTypeClass() {
            return MemoryState.class;
        }

        @Override
        protected MemoryState[] getTestData() {
            return new MemoryState[] {
                MemoryState.empty(),
                StateFixtures.memory(SMALL_POSITIONS, 4, 16, 1, 1),
                StateFixtures.memory(SMALL_POSITIONS, 4, 16, 3, 2),
                StateFixtures.memory(SMALL_POSITIONS, 2, 8, 2, 3),
            };
        }
    }

    /** Flink's own serializer test suite on short-term windows (compared field by field). */
    @Nested
    class ShortTermWindowSerializerSuite extends SerializerTestBase<ShortTermWindow> {
        ShortTermWindowSerializerSuite() {
            super(new DeeplyEqualsChecker()
                    .withCustomCheck(
                            (a, b) -> a instanceof ShortTermWindow && b instanceof ShortTermWindow,
                            (a, b, checker) -> sameWindow((ShortTermWindow) a, (ShortTermWindow) b)));
        }

        @Override
        protected TypeSerializer<ShortTermWindow> createSerializer() {
            return ShortTermWindowSerializer.INSTANCE;
        }

        @Override
        protected int getLength() {
            return -1;
        }

        @Override
        protected Class<ShortTermWindow> getTypeClass() {
            return ShortTermWindow.class;
        }

        @Override
        protected ShortTermWindow[] getTestData() {
            FrameFeatures a = StateFixtures.features(8, 16, 1);
            FrameFeatures b = StateFixtures.features(8, 16, 2);
            ShortTermWindow next = ShortTermWindow.start(NeighborMode.NEXT);
            return new ShortTermWindow[] {
                next,
                next.accept(0, a).window(),
                next.accept(0, a).window().accept(1, b).window(),
                next.accept(0, a).window().accept(1, b).window().finish().window(),
                ShortTermWindow.start(NeighborMode.PREVIOUS).accept(4, b).window(),
            };
        }
    }

    @Test
    void distinctWindowsAreToldApart() {
        assertFalse(sameWindow(nextModeHoldingTwo(), previousModeHoldingOne()), "the comparison can fail");
    }
}
