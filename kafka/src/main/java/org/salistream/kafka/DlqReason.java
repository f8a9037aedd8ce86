package org.salistream.kafka;

/**
 * Why a record went to the {@code frames.dlq} dead-letter topic. The name is written as the
 * {@value HeaderNames#DLQ_REASON} header; {@value HeaderNames#DLQ_MESSAGE} carries the specifics.
 * The codes are part of the wire contract: add new ones at the end, never rename.
 */
public enum DlqReason {
    /** The record has no key (the key must be the procedure id). */
    MISSING_KEY("the record has no key; the key must be the procedure id"),
    /** The key is not a valid procedure id (empty, too long, not UTF-8, control characters). */
    INVALID_KEY("the key is not a valid procedure id"),
    /** A required frame header is absent. */
    MISSING_HEADER("a required header is missing"),
    /** A header is present but malformed, out of range or repeated. */
    INVALID_HEADER("a header is malformed, out of range or repeated"),
    /** The value is larger than the configured frame size limit. */
    OVERSIZED("the frame is larger than the configured limit"),
    /** The value is empty or cannot be decoded as the image its content type says. */
    UNDECODABLE_IMAGE("the value cannot be decoded as an image of the declared content type"),
    /** The decoded image's size differs from the width and height headers. */
    SIZE_MISMATCH("the decoded image size differs from the width/height headers"),
    /** The frame index is not greater than the last one processed for this procedure. */
    OUT_OF_ORDER("the frame index is not greater than the previous one of the procedure"),
    /** A frame arrived after the procedure's end-of-procedure record. */
    AFTER_END_OF_PROCEDURE("the frame arrived after the end-of-procedure record"),
    /** Anything else that failed while processing this one record (the job keeps running). */
    PROCESSING_FAILED("processing this record failed"),
    /**
     * The model (encoding, segmentation) or the mask building failed on this frame, or its procedure was
     * closed after too many such failures in a row; the value may be empty (the frame's bytes are not kept
     * past the model), the source headers then say where the record is.
     */
    MODEL_FAILED("the model or the mask building failed on this frame");

    private final String description;

    DlqReason(String description) {
        this.description = description;
    }

    /** A one-line explanation of the code, for README tables and logs. */
    public String description() {
        return description;
    }
}
