package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameHeadersTest {

    private static final FrameHeaders FRAME =
            new FrameHeaders(42, 1_767_225_600_123_456L, "scope-3", FrameHeaders.JPEG, 1280, 1024);

    private static Headers with(String name, String value) {
        Headers h = FRAME.toHeaders();
        h.remove(name);
        if (value != null) {
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
        return h;
    }

    @Test
    void writtenHeadersParseBackToTheSameFrame() {
        HeaderParse parsed = FrameHeaders.parse(FRAME.toHeaders());
        assertEquals(HeaderParse.Status.FRAME, parsed.status());
        assertEquals(FRAME, parsed.frame());
    }

    @Test
    void integersAreWrittenAsDecimalAscii() {
        Headers h = FRAME.toHeaders();
        assertEquals("42", new String(h.lastHeader(HeaderNames.FRAME_INDEX).value(), StandardCharsets.US_ASCII));
        assertEquals(
                "1767225600123456",
                new String(h.lastHeader(HeaderNames.CAPTURE_US).value(), StandardCharsets.US_ASCII));
        assertEquals("1280", new String(h.lastHeader(HeaderNames.WIDTH).value(), StandardCharsets.US_ASCII));
        assertEquals(
                "image/jpeg", new String(h.lastHeader(HeaderNames.CONTENT_TYPE).value(), StandardCharsets.US_ASCII));
    }

    @Test
    void writingTwiceReplacesInsteadOfRepeating() {
        Headers h = FRAME.toHeaders();
        new FrameHeaders(43, 1, "scope-3", FrameHeaders.PNG, 10, 10).write(h);
        HeaderParse parsed = FrameHeaders.parse(h);
        assertTrue(parsed.isFrame(), parsed::toString);
        assertEquals(43, parsed.frame().frameIndex());
    }

    @Test
    void unrelatedHeadersAreIgnored() {
        Headers h = FRAME.toHeaders();
        h.add("traceparent", "00-abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals(FRAME, FrameHeaders.parse(h).frame());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                HeaderNames.FRAME_INDEX,
                HeaderNames.CAPTURE_US,
                HeaderNames.DEVICE,
                HeaderNames.CONTENT_TYPE,
                HeaderNames.WIDTH,
                HeaderNames.HEIGHT
            })
    void eachAbsentHeaderIsReportedMissingByName(String name) {
        HeaderParse parsed = FrameHeaders.parse(with(name, null));
        assertEquals(HeaderParse.Status.MISSING, parsed.status());
        assertEquals(name, parsed.header());
        assertEquals("missing header '" + name + "'", parsed.message());
        assertEquals(DlqReason.MISSING_HEADER, parsed.dlqReason());
    }

    @Test
    void aRecordWithoutHeadersIsMissingThemAll() {
        HeaderParse parsed = FrameHeaders.parse(new RecordHeaders());
        assertEquals(HeaderParse.Status.MISSING, parsed.status());
        for (String name : HeaderNames.FRAME_REQUIRED) {
            assertTrue(parsed.message().contains("missing header '" + name + "'"), parsed.message());
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sali.frame-index|-1|is '-1'; expected a decimal ASCII integer",
                "sali.frame-index|+1|is '+1'; expected a decimal ASCII integer",
                "sali.frame-index|007|is '007'; expected a decimal ASCII integer",
                "sali.frame-index|' 7'|is ' 7'; expected a decimal ASCII integer",
                "sali.frame-index|7.0|is '7.0'; expected a decimal ASCII integer",
                "sali.frame-index|''|is ''; expected a decimal ASCII integer",
                "sali.frame-index|99999999999999999999|is '99999999999999999999'; expected a decimal ASCII integer",
                "sali.capture-us|9223372036854775808|is '9223372036854775808'; it does not fit in 64 bits",
                "sali.width|0|is 0; expected 1..16384",
                "sali.height|16385|is 16385; expected 1..16384",
                "content-type|image/gif|is 'image/gif'; expected image/jpeg or image/png",
                "content-type|IMAGE/JPEG|is 'IMAGE/JPEG'; expected image/jpeg or image/png",
            })
    void malformedValuesAreInvalidWithAMessageNamingTheHeader(String name, String value, String expected) {
        HeaderParse parsed = FrameHeaders.parse(with(name, value));
        assertEquals(HeaderParse.Status.INVALID, parsed.status(), parsed::toString);
        assertEquals(name, parsed.header());
        String prefix = "header '" + name + "' " + expected;
        assertTrue(
                parsed.message().startsWith(prefix),
                () -> "expected '" + prefix + "...', got '" + parsed.message() + "'");
        assertEquals(DlqReason.INVALID_HEADER, parsed.dlqReason());
    }

    @Test
    void binaryIntegersAreRejectedAsInvalid() {
        Headers h = FRAME.toHeaders();
        h.remove(HeaderNames.WIDTH);
        h.add(HeaderNames.WIDTH, new byte[] {0, 0, 5, 0});
        HeaderParse parsed = FrameHeaders.parse(h);
        assertEquals(HeaderParse.Status.INVALID, parsed.status());
        assertTrue(parsed.message().contains("'\\x00\\x00\\x05\\x00'"), parsed.message());
    }

    @Test
    void aRepeatedHeaderIsInvalid() {
        Headers h = FRAME.toHeaders();
        h.add(HeaderNames.FRAME_INDEX, "43".getBytes(StandardCharsets.US_ASCII));
        HeaderParse parsed = FrameHeaders.parse(h);
        assertEquals(HeaderParse.Status.INVALID, parsed.status());
        assertEquals("header 'sali.frame-index' appears 2 times; it must appear once", parsed.message());
    }

    @Test
    void deviceIdsMustBeUtf8WithoutControlCharacters() {
        Headers bad = FRAME.toHeaders();
        bad.remove(HeaderNames.DEVICE);
        bad.add(HeaderNames.DEVICE, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertTrue(FrameHeaders.parse(bad).message().contains("not valid UTF-8"));
        assertTrue(FrameHeaders.parse(with(HeaderNames.DEVICE, "scope\n3"))
                .message()
                .contains("control characters"));
        assertEquals(
                "Endoskop-Süd",
                FrameHeaders.parse(with(HeaderNames.DEVICE, "Endoskop-Süd"))
                        .frame()
                        .deviceId());
    }

    @Test
    void missingWinsOverInvalidButTheMessageListsBoth() {
        Headers h = with(HeaderNames.WIDTH, "wide");
        h.remove(HeaderNames.HEIGHT);
        HeaderParse parsed = FrameHeaders.parse(h);
        assertEquals(HeaderParse.Status.MISSING, parsed.status());
        assertEquals(HeaderNames.HEIGHT, parsed.header());
        assertTrue(
                parsed.message().contains("'sali.width' is 'wide'")
                        && parsed.message().contains("missing header 'sali.height'"),
                parsed.message());
    }

    @Test
    void theEndOfProcedureMarkerCarriesTheLastIndexAndNeedsNoFrameHeaders() {
        Headers h = FrameHeaders.writeEndOfProcedure(new RecordHeaders(), 1499);
        HeaderParse parsed = FrameHeaders.parse(h);
        assertEquals(HeaderParse.Status.END_OF_PROCEDURE, parsed.status());
        assertEquals(1499, parsed.lastIndex());
        assertEquals(
                -1,
                FrameHeaders.parse(FrameHeaders.writeEndOfProcedure(new RecordHeaders(), -1))
                        .lastIndex());
    }

    @Test
    void aMalformedEndOfProcedureMarkerIsInvalid() {
        Headers h = new RecordHeaders();
        h.add(HeaderNames.END_OF_PROCEDURE, "last".getBytes(StandardCharsets.US_ASCII));
        HeaderParse parsed = FrameHeaders.parse(h);
        assertEquals(HeaderParse.Status.INVALID, parsed.status());
        assertEquals(HeaderNames.END_OF_PROCEDURE, parsed.header());
        Headers minusTwo = new RecordHeaders();
        minusTwo.add(HeaderNames.END_OF_PROCEDURE, "-2".getBytes(StandardCharsets.US_ASCII));
        assertEquals(
                "header 'sali.end-of-procedure' is -2; expected -1..9223372036854775807",
                FrameHeaders.parse(minusTwo).message());
    }

    @Test
    void theValueClassRejectsWhatTheParserRejects() {
        assertThrows(IllegalArgumentException.class, () -> new FrameHeaders(-1, 0, "d", FrameHeaders.PNG, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new FrameHeaders(0, 0, "", FrameHeaders.PNG, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new FrameHeaders(0, 0, "d", "image/bmp", 1, 1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new FrameHeaders(0, 0, "d", FrameHeaders.PNG, 0, 1));
        assertEquals("frame size must be within 1..16384 in each direction, got 0x1", e.getMessage());
    }

    @Test
    void askingAProblemForItsFrameSaysWhy() {
        HeaderParse parsed = FrameHeaders.parse(with(HeaderNames.WIDTH, null));
        IllegalStateException e = assertThrows(IllegalStateException.class, parsed::frame);
        assertTrue(e.getMessage().contains("missing header 'sali.width'"), e.getMessage());
    }
}
