package org.salistream.pipeline.events;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record of the {@code frames} topic as it came off Kafka, before any validation: key and value bytes,
 * headers, and where it came from (for dead letters). A Flink POJO: headers are kept as parallel arrays so
 * that no generic collection (and no Kryo) is involved.
 */
public class RawFrame {

    /** Record key (the procedure id as UTF-8), or null. */
    public byte[] key;
    /** Record value (the encoded frame; empty for end-of-procedure). */
    public byte[] value;
    /** Header names, in record order. */
    public String[] headerNames;
    /** Header values, parallel to {@link #headerNames}. */
    public byte[][] headerValues;
    /** Source topic. */
    public String topic;
    /** Source partition. */
    public int partition;
    /** Source offset. */
    public long offset;
    /** Record timestamp, epoch milliseconds (-1 when absent). */
    public long timestamp;

    /** For Flink. */
    public RawFrame() {}

    /** The raw form of a consumed record. */
    public static RawFrame of(ConsumerRecord<byte[], byte[]> r) {
        RawFrame f = new RawFrame();
        f.key = r.key();
        f.value = r.value() == null ? new byte[0] : r.value();
        List<String> names = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (Header h : r.headers()) {
            names.add(h.key());
            values.add(h.value() == null ? new byte[0] : h.value());
        }
        f.headerNames = names.toArray(new String[0]);
        f.headerValues = values.toArray(new byte[0][]);
        f.topic = r.topic();
        f.partition = r.partition();
        f.offset = r.offset();
        f.timestamp = r.timestamp();
        return f;
    }

    /** The headers as Kafka headers. */
    public Headers headers() {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < headerNames.length; i++) {
            h.add(headerNames[i], headerValues[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        // Never the bytes: frames are patient data.
        return "RawFrame[" + topic + "-" + partition + "@" + offset + ", " + (value == null ? 0 : value.length)
                + " bytes]";
    }
}
