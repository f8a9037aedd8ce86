package org.salistream.pipeline.job;

import java.io.Serializable;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.SaliTopics;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.MaskFrame;

/**
 * Where the job's three outputs go.
 *
 * @param masks the masks topic sink
 * @param alerts the alerts topic sink
 * @param deadLetters the dead-letter topic sink
 */
public record JobSinks(Sink<MaskFrame> masks, Sink<AlertEvent> alerts, Sink<DeadLetter> deadLetters)
        implements Serializable {

    /**
     * Kafka sinks for the configured topics: transactional ({@code DeliveryGuarantee.EXACTLY_ONCE}, one
     * transactional-id prefix per sink) unless {@code kafka.delivery} is at-least-once. Transactions commit
     * on checkpoints, so consumers that read committed see masks once per checkpoint interval.
     */
    public static JobSinks kafka(PipelineConfig config) {
        SaliTopics topics = config.topics();
        return new JobSinks(
                sink(config, "masks", new KafkaRecords.Masks(topics.masks().name())),
                sink(config, "alerts", new KafkaRecords.Alerts(topics.alerts().name())),
                sink(
                        config,
                        "dlq",
                        new KafkaRecords.DeadLettersOut(topics.deadLetters().name())));
    }

    private static <T> KafkaSink<T> sink(PipelineConfig config, String name, KafkaRecordSerializationSchema<T> schema) {
        Properties p = ClientConfigs.producer(config.kafkaConnection(), config.topicSettings());
        // The broker's transaction.max.timeout.ms is 15 minutes; Flink's default (1 hour) would be refused.
        p.setProperty("transaction.timeout.ms", "600000");
        p.remove("transactional.id");
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.kafkaConnection().bootstrapServers())
                .setKafkaProducerConfig(p)
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(
                        config.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(config.get("kafka.transactional-id-prefix") + "-" + name)
                .build();
    }
}
