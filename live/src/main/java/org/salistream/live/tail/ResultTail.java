package org.salistream.live.tail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.ReadIsolation;
import org.salistream.kafka.SaliTopics;
import org.salistream.kafka.TopicSettings;
import org.salistream.live.EpochMicros;

/**
 * The reading loop of {@code sali tail}: a group-less consumer of {@code masks} or {@code alerts} (with the
 * chosen isolation), printing one JSON line per record of the procedures asked for, and, with
 * {@code untilEnd}, stopping once every one of them has its end-of-procedure marker. The markers travel on
 * {@code masks}; a tail of {@code alerts} reads them there, then keeps reading alerts for
 * {@link #ALERTS_AFTER_END} (the two topics' transactions commit separately at the same checkpoint).
 */
public final class ResultTail implements AutoCloseable {

    /** How long a tail of alerts goes on reading after the last end marker. */
    static final Duration ALERTS_AFTER_END = Duration.ofMillis(1500);

    /** How a tail ended. */
    public enum Outcome {
        /** Every procedure asked for has ended. */
        ENDED,
        /** The timeout passed first. */
        TIMED_OUT,
        /** {@link #wakeup()} (Ctrl-C). */
        INTERRUPTED
    }

    /**
     * What to read.
     *
     * @param alerts        read alerts rather than masks
     * @param procedures    only these procedures (empty: all)
     * @param untilEnd      stop after their end markers (all procedures seen, when none is named)
     * @param fromBeginning start at the oldest record still kept, else at the newest
     * @param isolation     committed or live
     * @param timeout       give up after this long (zero: never)
     */
    public record Options(
            boolean alerts,
            Set<String> procedures,
            boolean untilEnd,
            boolean fromBeginning,
            ReadIsolation isolation,
            Duration timeout) {
        /** Copies the set. */
        public Options {
            procedures = Set.copyOf(procedures);
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SaliTopics topics;
    private final Options options;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> ended = new HashSet<>();
    private long lines;

    /** Assigns the partitions and seeks; nothing is read yet. */
    public ResultTail(KafkaConnection connection, SaliTopics topics, Options options) {
        this.topics = topics;
        this.options = options;
        Properties p = ClientConfigs.consumer(connection, null, options.isolation());
        p.put("client.id", "sali-tail");
        p.put(
                "max.partition.fetch.bytes",
                Integer.toString(TopicSettings.defaults().maxRecordBytes()));
        // A live reader: never let the broker hold a fetch longer than this waiting for more data.
        p.put("fetch.max.wait.ms", "50");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        List<String> names = options.alerts()
                ? List.of(topics.alerts().name(), topics.masks().name())
                : List.of(topics.masks().name());
        for (String topic : names) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(parts);
        if (options.fromBeginning()) {
            consumer.seekToBeginning(parts);
        } else {
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // resolve "end" now, not at the first poll
        }
    }

    /**
     * Reads until the options say stop, handing each JSON line to {@code out} and each mask to {@code masks}
     * (may be null).
     */
    public Outcome run(Consumer<String> out, MaskFolder masks) throws IOException {
        long deadline = options.timeout().isZero()
                ? Long.MAX_VALUE
                : System.nanoTime() + options.timeout().toNanos();
        long stopAt = Long.MAX_VALUE;
        try {
            while (System.nanoTime() < stopAt) {
                if (System.nanoTime() >= deadline) {
                    return Outcome.TIMED_OUT;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    accept(r, out, masks);
                }
                if (stopAt == Long.MAX_VALUE && options.untilEnd() && allEnded()) {
                    stopAt = options.alerts() ? System.nanoTime() + ALERTS_AFTER_END.toNanos() : System.nanoTime();
                }
            }
            return Outcome.ENDED;
        } catch (WakeupException e) {
            return Outcome.INTERRUPTED;
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r, Consumer<String> out, MaskFolder masks) throws IOException {
        String procedure = topics.masks().decodeKey(r.key());
        if (!options.procedures().isEmpty() && !options.procedures().contains(procedure)) {
            return;
        }
        seen.add(procedure);
        long now = EpochMicros.now();
        if (r.topic().equals(topics.alerts().name())) {
            out.accept(ResultJson.alert(topics.alerts().decodeValue(r.value())));
        } else if (FrameHeaders.isEndOfProcedure(r.headers())) {
            long last = FrameHeaders.parse(r.headers()).lastIndex();
            ended.add(procedure);
            out.accept(ResultJson.endOfProcedure(procedure, last));
        } else if (!options.alerts()) {
            MaskEnvelope m = topics.masks().decodeValue(r.value());
            out.accept(ResultJson.mask(m, now));
            if (masks != null) {
                masks.write(m);
            }
        } else {
            return;
        }
        lines++;
    }

    private boolean allEnded() {
        Set<String> wanted = options.procedures().isEmpty() ? seen : options.procedures();
        return !wanted.isEmpty() && ended.containsAll(wanted);
    }

    /** Lines printed so far. */
    public long lines() {
        return lines;
    }

    /** Makes a running {@link #run} return {@link Outcome#INTERRUPTED} (any thread). */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
