package org.salistream.pipeline.operators;

import java.util.Optional;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.BoundingBox;
import org.salistream.pipeline.state.AlertState;

/**
 * The polyp alert rule, as a pure function of state and frame: an alert opens ({@code APPEARED}) when at
 * least k of the last n frames have a confidence (max polyp probability) at or over the threshold, and
 * closes ({@code CLEARED}) after m consecutive frames below it; after closing, the window starts empty so
 * that a new alert again needs k of n. An alert still open at the end of the procedure is closed then.
 * Flicker shorter than k frames never alerts, and a polyp lost for fewer than m frames never clears.
 */
public final class AlertHysteresis {

    private final AlertEvent.Hysteresis rule;

    /** The rule with parameters k, n, m and threshold. */
    public AlertHysteresis(AlertEvent.Hysteresis rule) {
        this.rule = rule;
    }

    /** The rule's parameters. */
    public AlertEvent.Hysteresis rule() {
        return rule;
    }

    /** A fresh state for a procedure. */
    public AlertState newState() {
        AlertState s = new AlertState();
        s.indices = new long[rule.appearN()];
        s.confidences = new float[rule.appearN()];
        return s;
    }

    /**
     * Takes one frame's confidence; returns the event it triggers, if any.
     *
     * @param box the frame's most confident region, or null
     */
    public Optional<AlertEvent> observe(
            AlertState s,
            String procedure,
            long frame,
            long captureMicros,
            float confidence,
            BoundingBox box,
            long nowMicros) {
        boolean over = confidence >= rule.threshold();
        s.indices[s.pos] = frame;
        s.confidences[s.pos] = confidence;
        s.pos = (s.pos + 1) % rule.appearN();
        s.filled = Math.min(s.filled + 1, rule.appearN());
        s.lastFrame = frame;
        s.lastCapture = captureMicros;
        if (!s.active) {
            int count = 0;
            long first = Long.MAX_VALUE;
            float max = 0f;
            for (int i = 0; i < s.filled; i++) {
                if (s.confidences[i] >= rule.threshold()) {
                    count++;
                    first = Math.min(first, s.indices[i]);
                    max = Math.max(max, s.confidences[i]);
                }
            }
            if (over && count >= rule.appearK()) {
                s.active = true;
                s.belowRun = 0;
                s.episodeFirst = first;
                s.episodeLast = frame;
                s.episodeMax = max;
                return Optional.of(new AlertEvent(
                        procedure,
                        AlertEvent.Type.APPEARED,
                        frame,
                        first,
                        frame,
                        captureMicros,
                        nowMicros,
                        max,
                        box,
                        rule));
            }
            return Optional.empty();
        }
        if (over) {
            s.belowRun = 0;
            s.episodeLast = frame;
            s.episodeMax = Math.max(s.episodeMax, confidence);
            return Optional.empty();
        }
        if (++s.belowRun >= rule.clearM()) {
            return Optional.of(close(s, procedure, frame, captureMicros, nowMicros));
        }
        return Optional.empty();
    }

    /** At the end of a procedure: closes an open alert. */
    public Optional<AlertEvent> end(AlertState s, String procedure, long nowMicros) {
        return s.active ? Optional.of(close(s, procedure, s.lastFrame, s.lastCapture, nowMicros)) : Optional.empty();
    }

    /**
     * The procedure was closed before its end (the model failed on it): segmentation stopped, and with it an
     * open alert's episode, which the event's frame range and confidence describe (the last frame alone, with
     * confidence 0, when no alert was open).
     *
     * @param s the procedure's state, or null when no frame of it was segmented
     * @param lastIndex the last frame the procedure sent
     */
    public AlertEvent closed(AlertState s, String procedure, long lastIndex, long nowMicros) {
        long frame = Math.max(0, lastIndex);
        boolean open = s != null && s.active;
        AlertEvent e = new AlertEvent(
                procedure,
                AlertEvent.Type.SEGMENTATION_STOPPED,
                frame,
                open ? Math.min(s.episodeFirst, frame) : frame,
                open ? Math.min(Math.max(s.episodeLast, s.episodeFirst), frame) : frame,
                s == null ? 0 : s.lastCapture,
                nowMicros,
                open ? s.episodeMax : 0f,
                null,
                rule);
        if (s != null) {
            s.active = false;
        }
        return e;
    }

    private AlertEvent close(AlertState s, String procedure, long frame, long captureMicros, long nowMicros) {
        AlertEvent e = new AlertEvent(
                procedure,
                AlertEvent.Type.CLEARED,
                Math.max(frame, s.episodeFirst),
                s.episodeFirst,
                s.episodeLast,
                captureMicros,
                nowMicros,
                s.episodeMax,
                null,
                rule);
        s.active = false;
        s.belowRun = 0;
        s.filled = 0;
        s.pos = 0;
        return e;
    }
}
