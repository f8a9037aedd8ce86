package org.salistream.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds and reads records of the {@code frames.dlq} dead-letter topic. A dead letter keeps the original
 * key, value (the original bytes, untouched) and headers, and adds the {@code sali.dlq.*} headers
 * (see {@link HeaderNames#DLQ_ALL}): reason code, human text, source topic/partition/offset, time.
 * Earlier {@code sali.dlq.*} headers (a record dead-lettered twice) are replaced, not repeated.
 */
public final class DeadLetters {

    /** Longest reason text kept; longer text is cut (a DLQ header is not a log file). */
    public static final int MAX_MESSAGE_CHARS = 1000;

    private DeadLetters() {}

    /** The parsed {@code sali.dlq.*} headers of a dead letter. */
    public record Info(
            DlqReason reason,
            String message,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            long timeMicros) {}

    /**
     * The headers of a dead letter: a copy of {@code original} (minus old {@code sali.dlq.*} headers) with
     * the dead-letter headers appended.
     */
    public static Headers headers(
            Headers original,
            DlqReason reason,
            String message,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            long nowMicros) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        RecordHeaders out = new RecordHeaders();
        if (original != null) {
            for (Header h : original) {
                if (!HeaderNames.DLQ_ALL.contains(h.key())) {
                    out.add(h.key(), h.value());
                }
            }
        }
        String text = message == null || message.isEmpty() ? reason.description() : message;
        if (text.length() > MAX_MESSAGE_CHARS) {
            text = text.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
        }
        out.add(HeaderNames.DLQ_REASON, HeaderCodec.utf8(reason.name()));
        out.add(HeaderNames.DLQ_MESSAGE, text.getBytes(StandardCharsets.UTF_8));
        out.add(HeaderNames.DLQ_SOURCE_TOPIC, HeaderCodec.utf8(sourceTopic));
        out.add(HeaderNames.DLQ_SOURCE_PARTITION, HeaderCodec.decimal(sourcePartition));
        out.add(HeaderNames.DLQ_SOURCE_OFFSET, HeaderCodec.decimal(sourceOffset));
        out.add(HeaderNames.DLQ_TIME_US, HeaderCodec.decimal(nowMicros));
        return out;
    }

    /**
     * The dead letter of a consumed record, for {@code dlqTopic} (normally {@link Topics#FRAMES_DLQ}):
     * same key, same value bytes, same timestamp, original headers plus the dead-letter headers. The
     * partition is left to the producer's partitioner (by key).
     */
    public static ProducerRecord<byte[], byte[]> record(
            String dlqTopic, ConsumerRecord<byte[], byte[]> source, DlqReason reason, String message, long nowMicros) {
        Headers headers = headers(
                source.headers(), reason, message, source.topic(), source.partition(), source.offset(), nowMicros);
        Long timestamp = source.timestamp() >= 0 ? source.timestamp() : null;
        return new ProducerRecord<>(dlqTopic, null, timestamp, source.key(), source.value(), headers);
    }

    /** Reads the dead-letter headers back; {@link IllegalArgumentException} when they are absent or malformed. */
    public static Info parse(Headers headers) {
        try {
            String reasonName = HeaderCodec.parseText(
                    HeaderNames.DLQ_REASON, HeaderCodec.required(headers, HeaderNames.DLQ_REASON), 64);
            DlqReason reason;
            try {
                reason = DlqReason.valueOf(reasonName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown dead-letter reason '" + reasonName + "'");
            }
            String message = new String(HeaderCodec.required(headers, HeaderNames.DLQ_MESSAGE), StandardCharsets.UTF_8);
            String topic = HeaderCodec.parseText(
                    HeaderNames.DLQ_SOURCE_TOPIC, HeaderCodec.required(headers, HeaderNames.DLQ_SOURCE_TOPIC), 249);
            long partition = HeaderCodec.parseDecimal(
                    HeaderNames.DLQ_SOURCE_PARTITION,
                    HeaderCodec.required(headers, HeaderNames.DLQ_SOURCE_PARTITION),
                    -1,
                    Integer.MAX_VALUE);
            long offset = HeaderCodec.parseDecimal(
                    HeaderNames.DLQ_SOURCE_OFFSET,
                    HeaderCodec.required(headers, HeaderNames.DLQ_SOURCE_OFFSET),
                    -1,
                    Long.MAX_VALUE);
            long time = HeaderCodec.parseDecimal(
                    HeaderNames.DLQ_TIME_US, HeaderCodec.required(headers, HeaderNames.DLQ_TIME_US), 0, Long.MAX_VALUE);
            return new Info(reason, message, topic, (int) partition, offset, time);
        } catch (HeaderCodec.BadHeader e) {
            throw new IllegalArgumentException("not a valid dead letter: " + e.getMessage());
        }
    }
}
