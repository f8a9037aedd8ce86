package org.salistream.kafka;

import java.util.Objects;

/**
 * The outcome of {@link FrameHeaders#parse}: a frame's headers, an end-of-procedure marker, or a problem
 * (missing or invalid headers) with a message fit for the {@value HeaderNames#DLQ_MESSAGE} header.
 */
public final class HeaderParse {

    /** What the headers turned out to be. */
    public enum Status {
        /** A well-formed frame record; see {@link #frame()}. */
        FRAME,
        /** The end-of-procedure marker; see {@link #lastIndex()}. */
        END_OF_PROCEDURE,
        /** At least one required header is absent. */
        MISSING,
        /** Every required header is present but at least one is malformed, out of range or repeated. */
        INVALID
    }

    private final Status status;
    private final FrameHeaders frame;
    private final long lastIndex;
    private final String header;
    private final String message;

    private HeaderParse(Status status, FrameHeaders frame, long lastIndex, String header, String message) {
        this.status = status;
        this.frame = frame;
        this.lastIndex = lastIndex;
        this.header = header;
        this.message = message;
    }

    static HeaderParse frame(FrameHeaders frame) {
        return new HeaderParse(Status.FRAME, Objects.requireNonNull(frame), -1, null, null);
    }

    static HeaderParse endOfProcedure(long lastIndex) {
        return new HeaderParse(Status.END_OF_PROCEDURE, null, lastIndex, null, null);
    }

    static HeaderParse problem(Status status, String header, String message) {
        return new HeaderParse(status, null, -1, header, message);
    }

    /** What the headers turned out to be. */
    public Status status() {
        return status;
    }

    /** Whether this is a well-formed frame. */
    public boolean isFrame() {
        return status == Status.FRAME;
    }

    /** Whether this is the end-of-procedure marker. */
    public boolean isEndOfProcedure() {
        return status == Status.END_OF_PROCEDURE;
    }

    /** Whether the record must go to the dead-letter topic. */
    public boolean isProblem() {
        return status == Status.MISSING || status == Status.INVALID;
    }

    /** The frame's headers; only for {@link Status#FRAME}. */
    public FrameHeaders frame() {
        if (status != Status.FRAME) {
            throw new IllegalStateException("not a frame: " + this);
        }
        return frame;
    }

    /** The last frame index announced by the end-of-procedure marker ({@code -1}: no frames). */
    public long lastIndex() {
        if (status != Status.END_OF_PROCEDURE) {
            throw new IllegalStateException("not an end-of-procedure marker: " + this);
        }
        return lastIndex;
    }

    /** The first offending header's name; only for problems. */
    public String header() {
        requireProblem();
        return header;
    }

    /** What is wrong, naming every offending header; only for problems. */
    public String message() {
        requireProblem();
        return message;
    }

    /** {@link DlqReason#MISSING_HEADER} or {@link DlqReason#INVALID_HEADER}; only for problems. */
    public DlqReason dlqReason() {
        requireProblem();
        return status == Status.MISSING ? DlqReason.MISSING_HEADER : DlqReason.INVALID_HEADER;
    }

    private void requireProblem() {
        if (!isProblem()) {
            throw new IllegalStateException("the headers are fine: " + this);
        }
    }

    @Override
    public String toString() {
        switch (status) {
            case FRAME:
                return "FRAME " + frame;
            case END_OF_PROCEDURE:
                return "END_OF_PROCEDURE lastIndex=" + lastIndex;
            default:
                return status + " " + message;
        }
    }
}
