package org.salistream.pipeline.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.SaliTopics;

/**
 * Reads the demo's results as a hospital system would: a read-committed consumer of the masks and alerts
 * topics, noting when each record became visible (with the exactly-once sink, at the checkpoint that
 * committed it), until every procedure's end-of-procedure marker has been seen.
 */
public final class ResultReader implements AutoCloseable {

    /** A mask and when it was seen. */
    public record SeenMask(MaskEnvelope mask, long visibleMicros) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SaliTopics topics;
    private final List<SeenMask> masks = new ArrayList<>();
    private final List<AlertEvent> alerts = new ArrayList<>();
    private final Set<String> ended = new HashSet<>();

    public ResultReader(String bootstrap, SaliTopics topics) {
        this.topics = topics;
        consumer = new KafkaConsumer<>(
                ClientConfigs.readCommittedConsumer(bootstrap, null),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(topics.masks().name(), topics.alerts().name())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Polls once; returns how many masks arrived. */
    public int poll() {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            long now = System.currentTimeMillis() * 1000;
            if (r.topic().equals(topics.alerts().name())) {
                alerts.add(topics.alerts().decodeValue(r.value()));
            } else if (FrameHeaders.isEndOfProcedure(r.headers())) {
                ended.add(topics.masks().decodeKey(r.key()));
            } else {
                masks.add(new SeenMask(topics.masks().decodeValue(r.value()), now));
                n++;
            }
        }
        return n;
    }

    /** Whether every listed procedure has ended. */
    public boolean allEnded(Set<String> procedures) {
        return ended.containsAll(procedures);
    }

    public List<SeenMask> masks() {
        return masks;
    }

    public List<AlertEvent> alerts() {
        return alerts;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
