package org.salistream.live.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.HeaderParse;
import org.salistream.kafka.SaliTopics;

/** What the {@code frames} topic holds for one procedure: its frame indices in order, and its end marker. */
public final class FramesTopic {

    /**
     * @param indices       frame indices in partition order
     * @param captureMicros their capture times
     * @param endIndex      the end marker's last index, or null when there is none
     */
    public record Content(List<Long> indices, List<Long> captureMicros, Long endIndex) {}

    private FramesTopic() {}

    /** Reads the whole topic up to its current end. */
    public static Content read(String bootstrap, String procedure) {
        SaliTopics topics = SaliTopics.defaults();
        Properties p = ClientConfigs.readCommittedConsumer(bootstrap, null);
        List<Long> indices = new ArrayList<>();
        List<Long> captures = new ArrayList<>();
        Long end = null;
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topics.frames().name(), Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (!topics.frames().decodeKey(r.key()).equals(procedure)) {
                        continue;
                    }
                    HeaderParse h = FrameHeaders.parse(r.headers());
                    if (h.isFrame()) {
                        indices.add(h.frame().frameIndex());
                        captures.add(h.frame().captureMicros());
                    } else {
                        end = h.lastIndex();
                    }
                }
            }
        }
        return new Content(indices, captures, end);
    }
}
