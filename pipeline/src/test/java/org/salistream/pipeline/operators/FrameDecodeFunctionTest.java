package org.salistream.pipeline.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.salistream.kafka.DlqReason;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.HeaderNames;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.PilResize;
import org.salistream.model.image.RgbImage;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.RawFrame;
import org.salistream.pipeline.testing.PoisonImages;
import org.salistream.pipeline.testing.Procedures;
import org.salistream.pipeline.testing.TestModels;

/**
 * The decode stage under Flink's operator harness, with records built by hand against the kafka module's
 * wire contract: one test per dead-letter reason it produces, good PNG and JPEG frames resized exactly as
 * model-runtime resizes them, and the end-of-procedure record.
 */
class FrameDecodeFunctionTest {

    private static final int S = 256;
    private static final int W = 320;
    private static final int H = 240;
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    /** Text planted in bad values: a dead-letter message must never repeat the payload. */
    private static final String PAYLOAD_MARKER = "PATIENT-PIXELS";

    private static OneInputStreamOperatorTestHarness<RawFrame, FrameEvent> harness(int maxBytes) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new FrameDecodeFunction(S, maxBytes, 4096L * 4096)));
    }

    private static byte[] image(int w, int h, String contentType) {
        return Procedures.encode(
                new RgbImage(w, h, TestModels.frameRgb(w * 7L + h, w, h)).toBufferedImage(), contentType);
    }

    private static FrameHeaders headers(String contentType, int w, int h) {
        return new FrameHeaders(42, 1_700_000_000_123_456L, "scope-3", contentType, w, h);
    }

    private static RawFrame raw(byte[] key, Headers headers, byte[] value) {
        RawFrame r = new RawFrame();
        r.key = key;
        r.value = value;
        List<String> names = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (Header h : headers) {
            names.add(h.key());
            values.add(h.value());
        }
        r.headerNames = names.toArray(new String[0]);
        r.headerValues = values.toArray(new byte[0][]);
        r.topic = "frames";
        r.partition = 2;
        r.offset = 77;
        r.timestamp = 1_700_000_000_123L;
        return r;
    }

    private static RawFrame raw(Headers headers, byte[] value) {
        return raw("proc-1".getBytes(StandardCharsets.UTF_8), headers, value);
    }

    /** A good PNG frame's headers with one header replaced by raw bytes. */
    private static Headers withHeader(String name, String value) {
        Headers h = headers(FrameHeaders.PNG, W, H).toHeaders();
        h.remove(name);
        h.add(name, value.getBytes(StandardCharsets.US_ASCII));
        return h;
    }

    /** Runs one record; expects exactly one dead letter and no output; checks what every dead letter owes. */
    private static DeadLetter deadLetterOf(RawFrame r, int maxBytes) throws Exception {
        try (var h = harness(maxBytes)) {
            h.open();
            h.processElement(r, 0);
            assertEquals(List.of(), h.extractOutputValues(), "nothing goes downstream");
            List<DeadLetter> dlq = new ArrayList<>();
            for (StreamRecord<DeadLetter> s : h.getSideOutput(FrameDecodeFunction.DEAD_LETTERS)) {
                dlq.add(s.getValue());
            }
            assertEquals(1, dlq.size());
            DeadLetter d = dlq.get(0);
            // The harness hands the function a serialised copy of the record, so compare contents.
            assertArrayEquals(r.key, d.key, "the original key");
            assertTrue(Arrays.equals(r.value, d.value), "the original value, untouched");
            assertArrayEquals(r.headerNames, d.headerNames);
            assertEquals("frames", d.topic);
            assertEquals(2, d.partition);
            assertEquals(77, d.offset);
            assertEquals(r.timestamp, d.timestamp);
            assertNoPayload(d.message, r.value);
            return d;
        }
    }

    private static DeadLetter deadLetterOf(RawFrame r) throws Exception {
        return deadLetterOf(r, MAX_BYTES);
    }

    private static void assertNoPayload(String message, byte[] value) {
        assertTrue(message != null && !message.isBlank(), "a message");
        assertTrue(message.length() <= 1000, "at most 1000 characters: " + message.length());
        assertFalse(message.contains(PAYLOAD_MARKER), "payload text in: " + message);
        if (value.length >= 16) {
            for (int at = 0; at + 8 <= Math.min(value.length, 256); at += 8) {
                String hex = HexFormat.of().formatHex(value, at, at + 8);
                assertFalse(message.toLowerCase().contains(hex), "payload bytes (hex) in: " + message);
                assertFalse(
                        message.contains(new String(value, at, 8, StandardCharsets.ISO_8859_1)),
                        "payload bytes in: " + message);
            }
        }
    }

    private static void assertMentions(DeadLetter d, String... parts) {
        for (String p : parts) {
            assertTrue(d.message.contains(p), "'" + d.message + "' should mention '" + p + "'");
        }
    }

    @Test
    void aRecordWithoutAKeyIsMissingKey() throws Exception {
        DeadLetter d =
                deadLetterOf(raw(null, headers(FrameHeaders.PNG, W, H).toHeaders(), image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.MISSING_KEY, d.reason);
        assertMentions(d, "no key");
    }

    @Test
    void anEmptyKeyIsInvalidKey() throws Exception {
        DeadLetter d = deadLetterOf(
                raw(new byte[0], headers(FrameHeaders.PNG, W, H).toHeaders(), image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.INVALID_KEY, d.reason);
        assertMentions(d, "0 bytes");
    }

    @Test
    void aKeyThatIsNotUtf8IsInvalidKey() throws Exception {
        byte[] key = {'p', (byte) 0xC3, (byte) 0x28};
        DeadLetter d =
                deadLetterOf(raw(key, headers(FrameHeaders.PNG, W, H).toHeaders(), image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.INVALID_KEY, d.reason);
        assertMentions(d, "UTF-8");
    }

    @Test
    void aKeyWithControlCharactersIsInvalidKey() throws Exception {
        byte[] key = "proc\n1".getBytes(StandardCharsets.UTF_8);
        DeadLetter d =
                deadLetterOf(raw(key, headers(FrameHeaders.PNG, W, H).toHeaders(), image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.INVALID_KEY, d.reason);
        assertMentions(d, "control characters");
    }

    @Test
    void anAbsentContentTypeIsMissingHeader() throws Exception {
        Headers h = headers(FrameHeaders.PNG, W, H).toHeaders();
        h.remove(HeaderNames.CONTENT_TYPE);
        DeadLetter d = deadLetterOf(raw(h, image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.MISSING_HEADER, d.reason);
        assertMentions(d, HeaderNames.CONTENT_TYPE);
    }

    @Test
    void aRecordWithNoHeadersAtAllIsMissingHeader() throws Exception {
        DeadLetter d = deadLetterOf(raw(new RecordHeaders(), image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.MISSING_HEADER, d.reason);
        assertMentions(d, HeaderNames.FRAME_INDEX, HeaderNames.WIDTH);
    }

    @Test
    void aWidthOfZeroIsInvalidHeader() throws Exception {
        DeadLetter d = deadLetterOf(raw(withHeader(HeaderNames.WIDTH, "0"), image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.INVALID_HEADER, d.reason);
        assertMentions(d, HeaderNames.WIDTH);
    }

    @Test
    void aFrameIndexThatIsNotANumberIsInvalidHeader() throws Exception {
        DeadLetter d =
                deadLetterOf(raw(withHeader(HeaderNames.FRAME_INDEX, "forty-two"), image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.INVALID_HEADER, d.reason);
        assertMentions(d, HeaderNames.FRAME_INDEX);
    }

    @Test
    void aRepeatedHeaderIsInvalidHeader() throws Exception {
        Headers h = headers(FrameHeaders.PNG, W, H).toHeaders();
        h.add(HeaderNames.HEIGHT, "240".getBytes(StandardCharsets.US_ASCII));
        DeadLetter d = deadLetterOf(raw(h, image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.INVALID_HEADER, d.reason);
        assertMentions(d, HeaderNames.HEIGHT, "2 times");
    }

    @Test
    void anUnsupportedContentTypeIsInvalidHeader() throws Exception {
        DeadLetter d =
                deadLetterOf(raw(withHeader(HeaderNames.CONTENT_TYPE, "image/gif"), image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.INVALID_HEADER, d.reason);
        assertMentions(d, HeaderNames.CONTENT_TYPE, "image/gif");
    }

    @Test
    void aValueOverTheLimitIsOversized() throws Exception {
        byte[] png = image(W, H, FrameHeaders.PNG);
        int limit = png.length - 1;
        DeadLetter d = deadLetterOf(raw(headers(FrameHeaders.PNG, W, H).toHeaders(), png), limit);
        assertEquals(DlqReason.OVERSIZED, d.reason);
        assertMentions(d, Integer.toString(png.length), Integer.toString(limit), "procedure.max-frame-bytes");
    }

    @Test
    void corruptBytesBehindAJpegSignatureAreUndecodable() throws Exception {
        byte[] junk = (PAYLOAD_MARKER + " ").repeat(200).getBytes(StandardCharsets.US_ASCII);
        byte[] value = new byte[3 + junk.length];
        value[0] = (byte) 0xFF;
        value[1] = (byte) 0xD8;
        value[2] = (byte) 0xFF;
        System.arraycopy(junk, 0, value, 3, junk.length);
        DeadLetter d = deadLetterOf(raw(headers(FrameHeaders.JPEG, W, H).toHeaders(), value));
        assertEquals(DlqReason.UNDECODABLE_IMAGE, d.reason);
        assertMentions(d, "frame 42 of proc-1", "undecodable");
    }

    @Test
    void aTruncatedPngIsUndecodable() throws Exception {
        byte[] png = image(W, H, FrameHeaders.PNG);
        byte[] half = Arrays.copyOf(png, png.length / 2);
        DeadLetter d = deadLetterOf(raw(headers(FrameHeaders.PNG, W, H).toHeaders(), half));
        assertEquals(DlqReason.UNDECODABLE_IMAGE, d.reason);
        assertMentions(d, "frame 42 of proc-1");
    }

    @Test
    void anEmptyValueIsUndecodableAndSaysSo() throws Exception {
        DeadLetter d = deadLetterOf(raw(headers(FrameHeaders.PNG, W, H).toHeaders(), new byte[0]));
        assertEquals(DlqReason.UNDECODABLE_IMAGE, d.reason);
        assertMentions(d, "empty");
    }

    @Test
    void bytesThatAreNotAnImageAreUndecodable() throws Exception {
        byte[] text = (PAYLOAD_MARKER + " not an image at all").getBytes(StandardCharsets.US_ASCII);
        DeadLetter d = deadLetterOf(raw(headers(FrameHeaders.JPEG, W, H).toHeaders(), text));
        assertEquals(DlqReason.UNDECODABLE_IMAGE, d.reason);
        assertMentions(d, "neither JPEG nor PNG");
    }

    @Test
    void aPngDeclaredAsJpegIsUndecodable() throws Exception {
        DeadLetter d = deadLetterOf(raw(headers(FrameHeaders.JPEG, W, H).toHeaders(), image(W, H, FrameHeaders.PNG)));
        assertEquals(DlqReason.UNDECODABLE_IMAGE, d.reason);
        assertMentions(d, "declared image/jpeg", "image/png");
    }

    @Test
    void anImageOfAnotherSizeThanItsHeadersIsSizeMismatch() throws Exception {
        DeadLetter d =
                deadLetterOf(raw(headers(FrameHeaders.PNG, W, H).toHeaders(), image(160, 120, FrameHeaders.PNG)));
        assertEquals(DlqReason.SIZE_MISMATCH, d.reason);
        assertMentions(d, "160x120", "320x240");
    }

    @Test
    void goodPngAndJpegFramesComeOutResizedAsModelRuntimeResizes() throws Exception {
        for (String type : List.of(FrameHeaders.PNG, FrameHeaders.JPEG)) {
            byte[] bytes = image(W, H, type);
            RawFrame r = raw(headers(type, W, H).toHeaders(), bytes);
            try (var h = harness(MAX_BYTES)) {
                h.open();
                long before = FrameDecodeFunction.nowMicros();
                h.processElement(r, 0);
                assertTrue(
                        h.getSideOutput(FrameDecodeFunction.DEAD_LETTERS) == null
                                || h.getSideOutput(FrameDecodeFunction.DEAD_LETTERS)
                                        .isEmpty(),
                        "no dead letter for " + type);
                List<FrameEvent> out = h.extractOutputValues();
                assertEquals(1, out.size());
                FrameEvent e = out.get(0);
                assertEquals(FrameEvent.Kind.FRAME, e.kind);
                assertEquals("proc-1", e.procedureId);
                assertEquals(42, e.frameIndex);
                assertEquals(1_700_000_000_123_456L, e.captureMicros);
                assertEquals("scope-3", e.deviceId);
                assertEquals(W, e.width);
                assertEquals(H, e.height);
                assertTrue(
                        Arrays.equals(r.value, e.source.value) && e.source.offset == r.offset,
                        "the original record rides along");
                assertTrue(e.receivedMicros >= before);
                assertEquals(S * S * 3, e.modelRgb.length);
                RgbImage decoded = FrameDecoder.decode(bytes, "reference");
                assertArrayEquals(
                        PilResize.resize(decoded, S, S).rgb(), e.modelRgb, type + " resized as PilResize does");
            }
        }
    }

    @Test
    void anEndOfProcedureRecordComesOutAsEndWithTheLastIndex() throws Exception {
        try (var h = harness(MAX_BYTES)) {
            h.open();
            h.processElement(raw(FrameHeaders.writeEndOfProcedure(new RecordHeaders(), 41), new byte[0]), 0);
            h.processElement(raw(FrameHeaders.writeEndOfProcedure(new RecordHeaders(), -1), new byte[0]), 1);
            List<FrameEvent> out = h.extractOutputValues();
            assertEquals(2, out.size());
            assertEquals(FrameEvent.Kind.END, out.get(0).kind);
            assertTrue(out.get(0).isEnd());
            assertEquals("proc-1", out.get(0).procedureId);
            assertEquals(41, out.get(0).frameIndex);
            assertEquals(0, out.get(0).modelRgb.length);
            assertEquals(-1, out.get(1).frameIndex, "a procedure that sent no frame");
        }
    }

    @Test
    void aBadRecordDoesNotAffectTheGoodOnesAroundIt() throws Exception {
        try (var h = harness(MAX_BYTES)) {
            h.open();
            byte[] png = image(W, H, FrameHeaders.PNG);
            h.processElement(raw(headers(FrameHeaders.PNG, W, H).toHeaders(), png), 0);
            h.processElement(raw(withHeader(HeaderNames.WIDTH, "0"), png), 1);
            h.processElement(raw(headers(FrameHeaders.PNG, W, H).toHeaders(), png), 2);
            assertEquals(2, h.extractOutputValues().size());
            assertEquals(1, h.getSideOutput(FrameDecodeFunction.DEAD_LETTERS).size());
        }
    }

    @Test
    void aPngBombIsRefusedFromItsHeaderWithoutBeingDecoded() throws Exception {
        byte[] bomb = PoisonImages.png(12000, 12000, 8 << 20); // 8 MB of pixels in a few kB
        assertTrue(bomb.length < 64 * 1024, "small on the wire: " + bomb.length);
        DeadLetter d = deadLetterOf(raw(headers(FrameHeaders.PNG, 12000, 12000).toHeaders(), bomb));
        assertEquals(DlqReason.OVERSIZED, d.reason);
        assertMentions(d, "12000x12000", "procedure.max-frame-pixels", "not decoded");
    }

    @Test
    void aHeaderOfTheContractsLargestSizeIsOverThePixelLimit() throws Exception {
        DeadLetter d = deadLetterOf(
                raw(headers(FrameHeaders.PNG, 16384, 16384).toHeaders(), PoisonImages.png(16384, 16384, 1 << 16)));
        assertEquals(DlqReason.OVERSIZED, d.reason);
        assertMentions(d, "16384x16384");
    }

    @Test
    void anImageHeaderThatDisagreesWithTheRecordHeadersIsRefusedBeforeDecoding() throws Exception {
        DeadLetter d =
                deadLetterOf(raw(headers(FrameHeaders.PNG, W, H).toHeaders(), PoisonImages.png(4000, 3000, 1 << 16)));
        assertEquals(DlqReason.SIZE_MISMATCH, d.reason);
        assertMentions(d, "4000x3000", W + "x" + H, "not decoded");
    }
}
