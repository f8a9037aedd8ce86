package org.salistream.pipeline.events;

import org.salistream.kafka.DlqReason;

/**
 * A record that could not be processed, on its way to {@code frames.dlq}: the original key, value and
 * headers, the reason, and the source coordinates. A Flink POJO.
 */
public class DeadLetter {

    /** Original key, or null. */
    public byte[] key;
    /** Original value. */
    public byte[] value;
    /** Original header names. */
    public String[] headerNames;
    /** Original header values. */
    public byte[][] headerValues;
    /** Why. */
    public DlqReason reason;
    /** Specifics (never frame bytes). */
    public String message;
    /** Source topic. */
    public String topic;
    /** Source partition. */
    public int partition;
    /** Source offset. */
    public long offset;
    /** Original timestamp, epoch ms, or -1. */
    public long timestamp;

    /** For Flink. */
    public DeadLetter() {}

    /** The dead letter of a raw record. */
    public static DeadLetter of(RawFrame raw, DlqReason reason, String message) {
        DeadLetter d = new DeadLetter();
        d.key = raw.key;
        d.value = raw.value;
        d.headerNames = raw.headerNames;
        d.headerValues = raw.headerValues;
        d.reason = reason;
        d.message = message;
        d.topic = raw.topic;
        d.partition = raw.partition;
        d.offset = raw.offset;
        d.timestamp = raw.timestamp;
        return d;
    }

    /**
     * The dead letter of a frame whose record is no longer at hand (its bytes are not kept past the model):
     * the key, no value and no original headers, and the record's source coordinates so that it can be read
     * again from the frames topic while its retention lasts.
     */
    public static DeadLetter ofFrame(
            byte[] key, String topic, int partition, long offset, DlqReason reason, String message) {
        DeadLetter d = new DeadLetter();
        d.key = key;
        d.value = new byte[0];
        d.headerNames = new String[0];
        d.headerValues = new byte[0][];
        d.reason = reason;
        d.message = message;
        d.topic = topic;
        d.partition = partition;
        d.offset = offset;
        d.timestamp = -1;
        return d;
    }

    @Override
    public String toString() {
        return "DeadLetter[" + reason + ": " + message + " (" + topic + "-" + partition + "@" + offset + ")]";
    }
}
