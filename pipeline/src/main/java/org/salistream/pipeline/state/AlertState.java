package org.salistream.pipeline.state;

/**
 * Per-procedure hysteresis state of the alert stage: the last n frames' indices and confidences (a ring),
 * whether an alert is open, and the open episode's facts. A Flink POJO.
 */
public class AlertState {

    /** Frame indices of the last n frames (ring). */
    public long[] indices = new long[0];
    /** Their confidences (max probability). */
    public float[] confidences = new float[0];
    /** Ring write position. */
    public int pos;
    /** Frames in the ring (up to n). */
    public int filled;
    /** Whether an alert is open. */
    public boolean active;
    /** Consecutive frames below the threshold while open. */
    public int belowRun;
    /** First frame of the open episode. */
    public long episodeFirst;
    /** Last frame over the threshold in the open episode. */
    public long episodeLast;
    /** Highest confidence in the open episode. */
    public float episodeMax;
    /** Last frame seen. */
    public long lastFrame;
    /** Capture time of the last frame seen. */
    public long lastCapture;

    /** For Flink. */
    public AlertState() {}
}
