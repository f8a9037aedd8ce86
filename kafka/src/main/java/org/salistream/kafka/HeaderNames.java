package org.salistream.kafka;

import java.util.List;

/**
 * Every Kafka record header name of the SALI Stream wire contract, in one place (see kafka/README.md).
 *
 * <p>Integer-valued headers carry <b>decimal ASCII</b> (e.g. the bytes {@code "1024"}): readable in
 * {@code kafka-console-consumer --property print.headers=true}, writable from any language or REST proxy
 * without byte-order questions. The parser is strict: ASCII digits only, no sign (except {@code -1} where
 * documented), no leading zeros, no spaces, each header at most once. Text headers are UTF-8.
 */
public final class HeaderNames {

    /** Frame index within the procedure: 0, 1, 2, ... strictly increasing per procedure (decimal ASCII). */
    public static final String FRAME_INDEX = "sali.frame-index";
    /** Capture time of the frame, microseconds since the Unix epoch (decimal ASCII). */
    public static final String CAPTURE_US = "sali.capture-us";
    /** Scope or video-gateway device id (UTF-8 text, 1..128 bytes, no control characters). */
    public static final String DEVICE = "sali.device";
    /** Media type of the value: {@code image/jpeg} or {@code image/png} (exactly, lower case). */
    public static final String CONTENT_TYPE = "content-type";
    /** Frame width in pixels, 1..16384 (decimal ASCII). */
    public static final String WIDTH = "sali.width";
    /** Frame height in pixels, 1..16384 (decimal ASCII). */
    public static final String HEIGHT = "sali.height";
    /**
     * Present only on the end-of-procedure record (empty value): the index of the last frame of the
     * procedure, or {@code -1} when no frame was sent (decimal ASCII).
     */
    public static final String END_OF_PROCEDURE = "sali.end-of-procedure";

    /** DLQ: the {@link DlqReason} name. */
    public static final String DLQ_REASON = "sali.dlq.reason";
    /** DLQ: human-readable text saying what was wrong (UTF-8, at most 1000 characters). */
    public static final String DLQ_MESSAGE = "sali.dlq.message";
    /** DLQ: topic of the original record. */
    public static final String DLQ_SOURCE_TOPIC = "sali.dlq.source-topic";
    /** DLQ: partition of the original record (decimal ASCII). */
    public static final String DLQ_SOURCE_PARTITION = "sali.dlq.source-partition";
    /** DLQ: offset of the original record (decimal ASCII). */
    public static final String DLQ_SOURCE_OFFSET = "sali.dlq.source-offset";
    /** DLQ: when the record was dead-lettered, microseconds since the Unix epoch (decimal ASCII). */
    public static final String DLQ_TIME_US = "sali.dlq.time-us";

    /** The headers every frame record must carry. */
    public static final List<String> FRAME_REQUIRED =
            List.of(FRAME_INDEX, CAPTURE_US, DEVICE, CONTENT_TYPE, WIDTH, HEIGHT);

    /** The headers a dead-letter record adds to the original ones. */
    public static final List<String> DLQ_ALL =
            List.of(DLQ_REASON, DLQ_MESSAGE, DLQ_SOURCE_TOPIC, DLQ_SOURCE_PARTITION, DLQ_SOURCE_OFFSET, DLQ_TIME_US);

    private HeaderNames() {}
}
