package org.salistream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FormatReaderTest {

    private static final byte[] MAGIC = {'T', 'E', 'S', 'T'};

    /** A constant whose code differs from its ordinal, so that a reader by ordinal would fail. */
    enum Colour implements Coded {
        RED(7),
        GREEN(3);

        private final int code;

        Colour(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    private static byte[] sample() {
        return FormatWriter.start(MAGIC, 2, 8)
                .u8(200)
                .bool(true)
                .u16(65535)
                .i32(-5)
                .i64(1L << 40)
                .f32(0.25f)
                .f32s(new float[] {1, 2, 3})
                .blob(new byte[] {9, 8})
                .shortText("Größe")
                .code(Colour.RED)
                .toByteArray();
    }

    private static void readAll(byte[] bytes) {
        FormatReader r = FormatReader.of("test format", bytes);
        assertEquals(2, r.header(MAGIC, 1, 2));
        assertEquals(200, r.u8("a"));
        assertTrue(r.bool("b"));
        assertEquals(65535, r.u16("c"));
        assertEquals(-5, r.i32("d"));
        assertEquals(1L << 40, r.i64("e"));
        assertEquals(0.25f, r.f32("f"));
        assertArrayEquals(new float[] {1, 2, 3}, r.f32s("g", 3));
        assertArrayEquals(new byte[] {9, 8}, r.blob("h"));
        assertEquals("Größe", r.shortText("i"));
        assertEquals(Colour.RED, r.code("j", Colour.class));
        r.end();
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBackFieldForField() {
        readAll(sample());
    }

    @Test
    void theHeaderIsTheMagicThenOneVersionByteAndFieldsAreBigEndian() {
        byte[] b = FormatWriter.start(MAGIC, 1, 0).i32(0x01020304).toByteArray();
        assertArrayEquals(new byte[] {'T', 'E', 'S', 'T', 1, 1, 2, 3, 4}, b);
        assertEquals(
                0x04030201,
                FormatReader.littleEndian("legacy", Arrays.copyOfRange(b, 5, 9)).i32("x"));
    }

    @Test
    void enumsAreStoredByTheirCodeNotTheirOrdinal() {
        byte[] b = FormatWriter.start(MAGIC, 1, 0).code(Colour.GREEN).toByteArray();
        assertEquals(3, b[5]);
        FormatReader r = FormatReader.of("test format", new byte[] {'T', 'E', 'S', 'T', 1, 1});
        r.header(MAGIC, 1, 1);
        assertEquals(
                "corrupt test format: colour has the unknown code 1",
                assertThrows(CorruptFormatException.class, () -> r.code("colour", Colour.class))
                        .getMessage());
    }

    @Test
    void aWrongMagicAnUnknownVersionAndTrailingBytesAreNamed() {
        byte[] good = sample();
        byte[] magic = good.clone();
        magic[0] = '{';
        assertEquals(
                "corrupt test format: not this format (the magic 'TEST' is missing)",
                assertThrows(CorruptFormatException.class, () -> readAll(magic)).getMessage());
        byte[] v3 = good.clone();
        v3[4] = 3;
        assertEquals(
                "corrupt test format: version 3 is not supported (this build reads versions 1 to 2)",
                assertThrows(CorruptFormatException.class, () -> readAll(v3)).getMessage());
        assertEquals(
                "corrupt test format: 1 trailing bytes",
                assertThrows(CorruptFormatException.class, () -> readAll(Arrays.copyOf(good, good.length + 1)))
                        .getMessage());
    }

    @Test
    void aHugeDeclaredLengthFailsBeforeAnythingIsAllocated() {
        byte[] b = FormatWriter.start(MAGIC, 1, 0).i32(Integer.MAX_VALUE).toByteArray();
        FormatReader r = FormatReader.of("test format", b);
        r.header(MAGIC, 1, 1);
        String m = assertThrows(CorruptFormatException.class, () -> r.blob("payload"))
                .getMessage();
        assertEquals("corrupt test format: payload declares 2147483647 bytes but 0 are left", m);
        FormatReader floats = FormatReader.of("test format", new byte[8]);
        assertTrue(assertThrows(CorruptFormatException.class, () -> floats.f32s("keys", 1L << 40))
                .getMessage()
                .contains("keys declares 1099511627776 floats but 8 bytes are left"));
    }

    @Test
    void everyTruncationAndEveryDamagedByteIsRefusedWithTheFormatsNameOrLeavesTheLayoutIntact() {
        byte[] good = sample();
        for (int cut = 0; cut < good.length; cut++) {
            byte[] b = Arrays.copyOf(good, cut);
            String m = assertThrows(CorruptFormatException.class, () -> readAll(b), "cut at " + cut)
                    .getMessage();
            assertTrue(m.startsWith("corrupt test format: "), m);
        }
        Random r = new Random(13);
        int accepted = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] b = good.clone();
            int at = r.nextInt(b.length);
            b[at] ^= (byte) (1 << r.nextInt(8));
            try {
                readAll(b);
                accepted++;
            } catch (CorruptFormatException e) {
                assertTrue(e.getMessage().startsWith("corrupt test format: "), e.getMessage());
            } catch (AssertionError e) {
                // decoded, with a different value: never for the header (magic, version: bytes 0..4). A flipped
                // length can still decode when the bytes after it happen to parse (the format has no checksum);
                // the read values then differ, which this assertion error shows
                assertTrue(at >= 5, "a flipped bit at " + at + " was accepted: " + e.getMessage());
            }
        }
        assertEquals(0, accepted, "every flipped bit changes what is read");
    }
}
