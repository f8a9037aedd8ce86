package org.salistream.kafka;

import java.util.Objects;

/**
 * One value of the {@code alerts} topic: a polyp appeared in, or cleared from, a procedure's video.
 *
 * <p>The pipeline decides with hysteresis (an alert opens when k of the last n frames have a max
 * probability over the threshold, and clears after m consecutive frames below it); the parameters it
 * used travel with each event so that an alert can be audited later. This module defines only the event
 * and its serde ({@link AlertEventSerde}); the hysteresis logic lives in the pipeline.
 *
 * @param procedureId     procedure id (also the record key)
 * @param type            {@link Type#APPEARED}, {@link Type#CLEARED} or {@link Type#SEGMENTATION_STOPPED}
 * @param frameIndex      the frame at which the decision was taken
 * @param firstFrameIndex APPEARED: first frame of the k-of-n window that opened the alert;
 *                        CLEARED: first frame of the alert episode (the APPEARED event's first frame)
 * @param lastFrameIndex  last frame over the threshold in the episode so far ({@code >= firstFrameIndex})
 * @param captureMicros   capture time of frame {@code frameIndex}, epoch microseconds
 * @param emitMicros      when the event was produced, epoch microseconds
 * @param confidence      APPEARED: highest max-probability in the window; CLEARED: highest in the episode
 * @param box             box of the most confident region (null when the pipeline has none, e.g. on CLEARED)
 * @param hysteresis      the parameters that produced this event
 */
public record AlertEvent(
        String procedureId,
        Type type,
        long frameIndex,
        long firstFrameIndex,
        long lastFrameIndex,
        long captureMicros,
        long emitMicros,
        float confidence,
        BoundingBox box,
        Hysteresis hysteresis) {

    /** Kind of event. */
    public enum Type {
        /** A polyp appeared (the alert opens). */
        APPEARED,
        /** The polyp is gone (the alert closes). */
        CLEARED,
        /**
         * The pipeline stopped segmenting the procedure before its end (the model failed on several frames in
         * a row): no more masks or alerts will come for it, and an open alert ends here unconfirmed. The frame
         * range and confidence are the open episode's, or the last frame with confidence 0 when none was open.
         */
        SEGMENTATION_STOPPED
    }

    /**
     * The hysteresis that raised the event: appear when {@code appearK} of the last {@code appearN}
     * frames are over {@code threshold}; clear after {@code clearM} consecutive frames below it.
     */
    public record Hysteresis(int appearK, int appearN, int clearM, float threshold) {
        /** Checks 1 <= k <= n, m >= 1 and a threshold in [0, 1]. */
        public Hysteresis {
            if (appearK < 1 || appearN < appearK || clearM < 1) {
                throw new IllegalArgumentException(
                        "hysteresis needs 1 <= k <= n and m >= 1, got k=" + appearK + " n=" + appearN + " m=" + clearM);
            }
            if (!(threshold >= 0f && threshold <= 1f)) {
                throw new IllegalArgumentException("hysteresis threshold must be in [0, 1], got " + threshold);
            }
        }
    }

    /** Validates every field; a bad one is an {@link IllegalArgumentException} naming it. */
    public AlertEvent {
        ProcedureIdSerde.require(procedureId);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(hysteresis, "hysteresis");
        if (firstFrameIndex < 0 || lastFrameIndex < firstFrameIndex || frameIndex < firstFrameIndex) {
            throw new IllegalArgumentException("frame range needs 0 <= first <= last and first <= frame, got first="
                    + firstFrameIndex + " last=" + lastFrameIndex + " frame=" + frameIndex);
        }
        if (captureMicros < 0 || emitMicros < 0) {
            throw new IllegalArgumentException(
                    "capture and emit times must be >= 0, got " + captureMicros + " and " + emitMicros);
        }
        if (!(confidence >= 0f && confidence <= 1f)) {
            throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
        }
    }
}
