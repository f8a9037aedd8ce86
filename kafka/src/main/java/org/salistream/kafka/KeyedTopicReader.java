package org.salistream.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The poll loop shared by {@link MaskConsumer} and {@link AlertConsumer}: a group-less
 * {@code read_committed} consumer assigned to every partition of one topic, decoding keys as procedure
 * ids, recording end-of-procedure markers, and decoding values with the topic's serde.
 */
final class KeyedTopicReader<V> implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Topic<String, V> decoder;
    private final boolean fromBeginning;
    private final TopicReadout<V> readout = new TopicReadout<>();
    private boolean assigned;

    KeyedTopicReader(KafkaConnection connection, Topic<String, V> topic, boolean fromBeginning, Properties overrides) {
        Properties p = ClientConfigs.readCommittedConsumer(connection, null);
        p.put("client.id", "sali-" + topic.name() + "-reader");
        p.putAll(overrides);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic.name();
        this.decoder = topic;
        this.fromBeginning = fromBeginning;
    }

    /** Polls until {@code done} holds for what was read so far or the timeout passes. */
    TopicReadout<V> readUntil(Predicate<TopicReadout<V>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!assigned) {
            assign(deadline);
        }
        while (!done.test(readout)) {
            if (System.nanoTime() >= deadline) {
                readout.setTimedOut(true);
                return readout;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                accept(r);
            }
        }
        readout.setTimedOut(false);
        return readout;
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        try {
            String procedureId = decoder.decodeKey(r.key());
            if (FrameHeaders.isEndOfProcedure(r.headers())) {
                readout.markEnded(procedureId);
            } else {
                readout.add(procedureId, decoder.decodeValue(r.value()));
            }
        } catch (SerializationException e) {
            throw new SerializationException(
                    "record " + r.topic() + "-" + r.partition() + "@" + r.offset() + " cannot be read: "
                            + e.getMessage(),
                    e);
        }
    }

    private void assign(long deadline) {
        List<PartitionInfo> partitions = List.of();
        while (partitions.isEmpty()) {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions.isEmpty() && System.nanoTime() >= deadline) {
                throw new KafkaException("topic '" + topic + "' does not exist (ensure the topics first)");
            }
        }
        List<TopicPartition> tps = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(tps);
        if (fromBeginning) {
            consumer.seekToBeginning(tps);
        } else {
            consumer.seekToEnd(tps);
            tps.forEach(consumer::position); // resolve "end" now, not at the first poll
        }
        assigned = true;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
