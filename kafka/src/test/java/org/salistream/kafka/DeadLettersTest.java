package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static ConsumerRecord<byte[], byte[]> frameRecord(Headers headers) {
        return new ConsumerRecord<>(
                Topics.FRAMES,
                3,
                1207L,
                1_767_225_600_123L,
                TimestampType.CREATE_TIME,
                6,
                5,
                "proc-1".getBytes(StandardCharsets.UTF_8),
                new byte[] {1, 2, 3, 4, 5},
                headers,
                Optional.empty());
    }

    @Test
    void aDeadLetterKeepsKeyValueTimestampAndOriginalHeadersAndAddsTheReason() {
        Headers original = new FrameHeaders(7, 1, "scope", FrameHeaders.JPEG, 10, 10).toHeaders();
        ProducerRecord<byte[], byte[]> dlq = DeadLetters.record(
                Topics.FRAMES_DLQ,
                frameRecord(original),
                DlqReason.UNDECODABLE_IMAGE,
                "not a JPEG: no SOI marker",
                99L);
        assertEquals(Topics.FRAMES_DLQ, dlq.topic());
        assertArrayEquals("proc-1".getBytes(StandardCharsets.UTF_8), dlq.key());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, dlq.value());
        assertEquals(1_767_225_600_123L, dlq.timestamp());
        assertEquals(
                new FrameHeaders(7, 1, "scope", FrameHeaders.JPEG, 10, 10),
                FrameHeaders.parse(dlq.headers()).frame());
        DeadLetters.Info info = DeadLetters.parse(dlq.headers());
        assertEquals(
                new DeadLetters.Info(
                        DlqReason.UNDECODABLE_IMAGE, "not a JPEG: no SOI marker", Topics.FRAMES, 3, 1207L, 99L),
                info);
    }

    @Test
    void deadLetteringTwiceReplacesTheOldReasonHeaders() {
        Headers first =
                DeadLetters.headers(new RecordHeaders(), DlqReason.OVERSIZED, "too big", Topics.FRAMES, 0, 1, 2);
        Headers second = DeadLetters.headers(first, DlqReason.PROCESSING_FAILED, "boom", Topics.FRAMES_DLQ, 0, 5, 6);
        List<String> names = new ArrayList<>();
        for (Header h : second) {
            names.add(h.key());
        }
        assertEquals(HeaderNames.DLQ_ALL, names);
        assertEquals(DlqReason.PROCESSING_FAILED, DeadLetters.parse(second).reason());
    }

    @Test
    void anEmptyMessageFallsBackToTheReasonDescriptionAndLongOnesAreCut() {
        assertEquals(
                DlqReason.MISSING_KEY.description(),
                DeadLetters.parse(DeadLetters.headers(null, DlqReason.MISSING_KEY, "", "frames", -1, -1, 0))
                        .message());
        String longText = "x".repeat(5000);
        assertEquals(
                DeadLetters.MAX_MESSAGE_CHARS,
                DeadLetters.parse(DeadLetters.headers(null, DlqReason.MISSING_KEY, longText, "frames", 0, 0, 0))
                        .message()
                        .length());
    }

    @Test
    void headersWithoutAReasonAreNotADeadLetter() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DeadLetters.parse(new RecordHeaders()));
        assertEquals("not a valid dead letter: missing header 'sali.dlq.reason'", e.getMessage());
        Headers unknown = DeadLetters.headers(null, DlqReason.OVERSIZED, "m", "frames", 0, 0, 0);
        unknown.remove(HeaderNames.DLQ_REASON);
        unknown.add(HeaderNames.DLQ_REASON, "TOO_SPICY".getBytes(StandardCharsets.US_ASCII));
        assertEquals(
                "unknown dead-letter reason 'TOO_SPICY'",
                assertThrows(IllegalArgumentException.class, () -> DeadLetters.parse(unknown))
                        .getMessage());
    }
}
