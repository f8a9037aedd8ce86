package org.salistream.pipeline.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.DeadLetters;
import org.salistream.kafka.Topics;

/** Reads {@code frames.dlq} read-committed from the beginning, as an operator's tool would. */
public final class DeadLetterReader {

    private DeadLetterReader() {}

    /**
     * The dead letters' parsed headers: polls until {@code expectedCount} are read (at most a minute), then
     * two seconds more, so that a dead letter too many would be seen too.
     */
    public static List<DeadLetters.Info> read(String bootstrap, int expectedCount) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                ClientConfigs.readCommittedConsumer(bootstrap, null),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.FRAMES_DLQ).stream()
                    .map(pi -> new TopicPartition(Topics.FRAMES_DLQ, pi.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (records.size() < expectedCount && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            c.poll(Duration.ofSeconds(2)).forEach(records::add);
        }
        return records.stream().map(r -> DeadLetters.parse(r.headers())).toList();
    }
}
