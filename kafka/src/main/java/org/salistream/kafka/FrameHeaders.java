package org.salistream.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of one record of the {@code frames} topic (see {@link HeaderNames} and kafka/README.md):
 * frame index (strictly increasing per procedure), capture time in epoch microseconds, scope/device id,
 * content type ({@code image/jpeg} or {@code image/png}), width and height in pixels.
 *
 * <p>{@link #parse(Headers)} is the one place that decides whether a frame record's headers are
 * acceptable; it tells missing from invalid headers, with a message naming each offending header, so
 * that the pipeline can route the record to {@code frames.dlq} with {@link DlqReason#MISSING_HEADER} or
 * {@link DlqReason#INVALID_HEADER}. Integers are decimal ASCII (see {@link HeaderNames}).
 *
 * @param frameIndex    index of the frame in its procedure, {@code >= 0}
 * @param captureMicros capture time, microseconds since the Unix epoch, {@code >= 0}
 * @param deviceId      scope or gateway id, 1..{@value #MAX_DEVICE_BYTES} UTF-8 bytes, no control characters
 * @param contentType   {@value #JPEG} or {@value #PNG}
 * @param width         width in pixels, 1..{@value #MAX_DIMENSION}
 * @param height        height in pixels, 1..{@value #MAX_DIMENSION}
 */
public record FrameHeaders(
        long frameIndex, long captureMicros, String deviceId, String contentType, int width, int height) {

    /** Content type of JPEG frames. */
    public static final String JPEG = "image/jpeg";
    /** Content type of PNG frames. */
    public static final String PNG = "image/png";
    /** The accepted content types. */
    public static final Set<String> CONTENT_TYPES = Set.of(JPEG, PNG);
    /** Largest accepted width or height (16K video is far beyond any endoscope). */
    public static final int MAX_DIMENSION = 16384;
    /** Longest accepted device id in UTF-8 bytes. */
    public static final int MAX_DEVICE_BYTES = 128;

    /** Validates every field; a bad one is an {@link IllegalArgumentException} naming it. */
    public FrameHeaders {
        if (frameIndex < 0) {
            throw new IllegalArgumentException("frame index must be >= 0, got " + frameIndex);
        }
        if (captureMicros < 0) {
            throw new IllegalArgumentException(
                    "capture time must be >= 0 microseconds since the epoch, got " + captureMicros);
        }
        HeaderCodec.requireText("device id", deviceId, MAX_DEVICE_BYTES);
        if (!CONTENT_TYPES.contains(contentType)) {
            throw new IllegalArgumentException(
                    "content type must be " + JPEG + " or " + PNG + ", got '" + contentType + "'");
        }
        if (width < 1 || width > MAX_DIMENSION || height < 1 || height > MAX_DIMENSION) {
            throw new IllegalArgumentException("frame size must be within 1.." + MAX_DIMENSION
                    + " in each direction, got " + width + "x" + height);
        }
    }

    /** Writes these six headers into {@code headers}, replacing any earlier values of the same names. */
    public Headers write(Headers headers) {
        for (String name : HeaderNames.FRAME_REQUIRED) {
            headers.remove(name);
        }
        headers.remove(HeaderNames.END_OF_PROCEDURE);
        headers.add(HeaderNames.FRAME_INDEX, HeaderCodec.decimal(frameIndex));
        headers.add(HeaderNames.CAPTURE_US, HeaderCodec.decimal(captureMicros));
        headers.add(HeaderNames.DEVICE, HeaderCodec.utf8(deviceId));
        headers.add(HeaderNames.CONTENT_TYPE, HeaderCodec.utf8(contentType));
        headers.add(HeaderNames.WIDTH, HeaderCodec.decimal(width));
        headers.add(HeaderNames.HEIGHT, HeaderCodec.decimal(height));
        return headers;
    }

    /** These headers in a fresh {@link RecordHeaders}. */
    public Headers toHeaders() {
        return write(new RecordHeaders());
    }

    /**
     * Writes the end-of-procedure marker: header {@value HeaderNames#END_OF_PROCEDURE} = the last frame
     * index ({@code -1} when the procedure had no frame). The record's value must be empty.
     */
    public static Headers writeEndOfProcedure(Headers headers, long lastIndex) {
        if (lastIndex < -1) {
            throw new IllegalArgumentException("last frame index must be >= -1, got " + lastIndex);
        }
        headers.remove(HeaderNames.END_OF_PROCEDURE);
        headers.add(HeaderNames.END_OF_PROCEDURE, HeaderCodec.decimal(lastIndex));
        return headers;
    }

    /** Whether the record is an end-of-procedure marker (the header is present, whatever its value). */
    public static boolean isEndOfProcedure(Headers headers) {
        return headers.lastHeader(HeaderNames.END_OF_PROCEDURE) != null;
    }

    /**
     * Reads a {@code frames} record's headers. The result is a frame, an end-of-procedure marker, or a
     * problem: {@link HeaderParse.Status#MISSING} when any required header is absent, otherwise
     * {@link HeaderParse.Status#INVALID}; its message lists every offending header.
     */
    public static HeaderParse parse(Headers headers) {
        if (headers == null) {
            return HeaderParse.problem(
                    HeaderParse.Status.MISSING, HeaderNames.FRAME_INDEX, "the record has no headers");
        }
        if (isEndOfProcedure(headers)) {
            try {
                byte[] v = HeaderCodec.single(headers, HeaderNames.END_OF_PROCEDURE);
                return HeaderParse.endOfProcedure(
                        HeaderCodec.parseDecimal(HeaderNames.END_OF_PROCEDURE, v, -1, Long.MAX_VALUE));
            } catch (HeaderCodec.BadHeader e) {
                return HeaderParse.problem(HeaderParse.Status.INVALID, e.header, e.getMessage());
            }
        }
        List<HeaderCodec.BadHeader> problems = new ArrayList<>();
        long index = integer(headers, HeaderNames.FRAME_INDEX, 0, Long.MAX_VALUE, problems);
        long capture = integer(headers, HeaderNames.CAPTURE_US, 0, Long.MAX_VALUE, problems);
        String device = text(headers, HeaderNames.DEVICE, MAX_DEVICE_BYTES, problems);
        String type = text(headers, HeaderNames.CONTENT_TYPE, 64, problems);
        if (type != null && !CONTENT_TYPES.contains(type)) {
            problems.add(new HeaderCodec.BadHeader(
                    HeaderNames.CONTENT_TYPE,
                    false,
                    "header '" + HeaderNames.CONTENT_TYPE + "' is '" + type + "'; expected " + JPEG + " or " + PNG));
        }
        long width = integer(headers, HeaderNames.WIDTH, 1, MAX_DIMENSION, problems);
        long height = integer(headers, HeaderNames.HEIGHT, 1, MAX_DIMENSION, problems);
        if (problems.isEmpty()) {
            return HeaderParse.frame(new FrameHeaders(index, capture, device, type, (int) width, (int) height));
        }
        boolean anyMissing = problems.stream().anyMatch(p -> p.missing);
        StringBuilder message = new StringBuilder();
        for (HeaderCodec.BadHeader p : problems) {
            message.append(message.length() == 0 ? "" : "; ").append(p.getMessage());
        }
        HeaderCodec.BadHeader first = problems.stream()
                .filter(p -> p.missing == anyMissing)
                .findFirst()
                .orElseThrow();
        return HeaderParse.problem(
                anyMissing ? HeaderParse.Status.MISSING : HeaderParse.Status.INVALID, first.header, message.toString());
    }

    private static long integer(
            Headers headers, String name, long min, long max, List<HeaderCodec.BadHeader> problems) {
        try {
            return HeaderCodec.parseDecimal(name, HeaderCodec.required(headers, name), min, max);
        } catch (HeaderCodec.BadHeader e) {
            problems.add(e);
            return -1;
        }
    }

    private static String text(Headers headers, String name, int maxBytes, List<HeaderCodec.BadHeader> problems) {
        try {
            return HeaderCodec.parseText(name, HeaderCodec.required(headers, name), maxBytes);
        } catch (HeaderCodec.BadHeader e) {
            problems.add(e);
            return null;
        }
    }
}
