package org.salistream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Test helper: reads raw records of a topic from the beginning, every partition, until enough matched. */
public final class RecordsRead {

    private RecordsRead() {}

    public static List<ConsumerRecord<byte[], byte[]>> until(
            String bootstrap,
            String topic,
            String isolation,
            Predicate<ConsumerRecord<byte[], byte[]>> filter,
            int wanted,
            Duration timeout) {
        Properties p = ClientConfigs.readCommittedConsumer(bootstrap, null);
        p.put("isolation.level", isolation);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < wanted && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (filter.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    public static Predicate<ConsumerRecord<byte[], byte[]>> keyStartsWith(String prefix) {
        return r -> r.key() != null && ProcedureIdSerde.decode(r.key()).startsWith(prefix);
    }
}
