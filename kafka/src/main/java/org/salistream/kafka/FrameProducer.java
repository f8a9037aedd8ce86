package org.salistream.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ingest client a hospital video gateway (or a replay) uses to put frames on the {@code frames}
 * topic: keyed by procedure id, with the {@link FrameHeaders}, record timestamp = capture time (the topic
 * stamps frames with their arrival instead, see {@link TopicSettings#configsFor}), through
 * an idempotent producer ({@code enable.idempotence=true}, {@code acks=all}) so that retries neither lose
 * nor duplicate nor reorder frames.
 *
 * <p>It checks what the pipeline would otherwise dead-letter: header values, the frame size limit, and
 * that frame indexes increase per procedure. Thread-safe: several procedures may be sent concurrently from
 * different threads (a procedure's own frames must come from one thread, in order).
 *
 * <pre>{@code
 * try (FrameProducer producer = new FrameProducer("kafka:9092")) {
 *     producer.send("proc-42", 0, nowMicros, "scope-3", FrameHeaders.JPEG, 1280, 1024, jpegBytes);
 *     ...
 *     producer.endProcedure("proc-42", lastIndex);
 * }
 * }</pre>
 */
public final class FrameProducer implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final int maxFrameBytes;
    private final String topic;
    /** Last frame index sent per open procedure; removed at the end-of-procedure. */
    private final Map<String, Long> lastIndex = new ConcurrentHashMap<>();

    /** A producer with {@link ClientConfigs#producer(String)} and the default frame limit. */
    public FrameProducer(String bootstrapServers) {
        this(bootstrapServers, TopicSettings.defaults(), new Properties());
    }

    /**
     * A producer for the given settings' frame limit.
     *
     * @param overrides extra or replacing producer properties (e.g. {@code client.id}, security settings)
     */
    public FrameProducer(String bootstrapServers, TopicSettings settings, Properties overrides) {
        this(KafkaConnection.to(bootstrapServers), SaliTopics.defaults().frames(), settings, overrides);
    }

    /** A producer through a connection (bootstrap servers plus the deployment's TLS/SASL client properties). */
    public FrameProducer(KafkaConnection connection, TopicSettings settings) {
        this(connection, SaliTopics.defaults().frames(), settings, new Properties());
    }

    /**
     * A producer to the given frames topic (from the deployment's {@link SaliTopics}) through a connection.
     *
     * @param overrides extra or replacing producer properties (e.g. {@code client.id})
     */
    public FrameProducer(
            KafkaConnection connection, Topic<String, byte[]> frames, TopicSettings settings, Properties overrides) {
        this(createProducer(connection, settings, overrides), settings.maxFrameBytes(), frames.name());
    }

    /** Wraps an existing producer (its serializers must be byte arrays), for other frame topics or tests. */
    public FrameProducer(Producer<byte[], byte[]> producer, int maxFrameBytes, String topic) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("max frame bytes must be positive, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    private static Producer<byte[], byte[]> createProducer(
            KafkaConnection connection, TopicSettings settings, Properties overrides) {
        Properties p = ClientConfigs.producer(connection, settings);
        p.putAll(overrides);
        if (!"true".equals(String.valueOf(p.get("enable.idempotence")))
                || !"all".equals(String.valueOf(p.get("acks")))) {
            throw new IllegalArgumentException(
                    "a FrameProducer must be idempotent with acks=all; the overrides changed that");
        }
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends one frame.
     *
     * @return completes with the record's metadata once the broker has it (all in-sync replicas), or
     *     exceptionally when the send failed
     * @throws IllegalArgumentException for a bad argument, a frame over the limit, or an index not greater
     *     than the previous one of this procedure (nothing is sent then)
     */
    public CompletableFuture<RecordMetadata> send(
            String procedureId,
            long frameIndex,
            long captureMicros,
            String deviceId,
            String contentType,
            int width,
            int height,
            byte[] bytes) {
        byte[] key = encodeKey(procedureId);
        FrameHeaders headers = new FrameHeaders(frameIndex, captureMicros, deviceId, contentType, width, height);
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException(
                    "frame " + frameIndex + " of " + LogIds.procedure(procedureId) + " has no bytes");
        }
        if (bytes.length > maxFrameBytes) {
            throw new IllegalArgumentException("frame " + frameIndex + " of " + LogIds.procedure(procedureId) + " has "
                    + bytes.length + " bytes, over the limit of " + maxFrameBytes);
        }
        lastIndex.compute(procedureId, (id, previous) -> {
            if (previous != null && frameIndex <= previous) {
                throw new IllegalArgumentException("frame index " + frameIndex + " of " + LogIds.procedure(id)
                        + " is not greater than the previous one, " + previous);
            }
            return frameIndex;
        });
        long timestampMillis = captureMicros / 1000;
        return send(new ProducerRecord<>(topic, null, timestampMillis, key, bytes, headers.toHeaders()));
    }

    /**
     * Sends the end-of-procedure marker (empty value, header {@value HeaderNames#END_OF_PROCEDURE} =
     * {@code lastIndex}) and forgets the procedure.
     *
     * @param lastIndex the last frame index sent, {@code -1} when none
     */
    public CompletableFuture<RecordMetadata> endProcedure(String procedureId, long lastIndex) {
        byte[] key = encodeKey(procedureId);
        Long sent = this.lastIndex.get(procedureId);
        if (sent != null && sent != lastIndex) {
            throw new IllegalArgumentException("procedure " + LogIds.procedure(procedureId) + " ends at frame "
                    + lastIndex + " but the last frame sent was " + sent);
        }
        Headers headers = FrameHeaders.writeEndOfProcedure(new RecordHeaders(), lastIndex);
        this.lastIndex.remove(procedureId);
        return send(new ProducerRecord<>(
                topic, null, System.currentTimeMillis(), key, Topics.END_OF_PROCEDURE_VALUE, headers));
    }

    /** Blocks until every frame sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** Flushes and closes the producer (waits up to 30 s for outstanding frames). */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    private static byte[] encodeKey(String procedureId) {
        try {
            return ProcedureIdSerde.encode(procedureId);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(metadata);
            }
        });
        return result;
    }
}
