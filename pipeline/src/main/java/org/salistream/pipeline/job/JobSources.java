package org.salistream.pipeline.job;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.salistream.kafka.ClientConfigs;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.events.RawFrame;

/** The job's sources. */
public final class JobSources {

    private JobSources() {}

    /**
     * A FLIP-27 Kafka source of the frames topic: read committed, raw records (validated downstream),
     * offsets committed on checkpoints, starting where {@code kafka.starting-offsets} says; the client
     * properties of {@code kafka.client.*} (TLS, SASL) come first, the source's own settings after them.
     */
    @SuppressWarnings("deprecation") // OffsetResetStrategy is what the connector's API takes
    public static KafkaSource<RawFrame> kafka(PipelineConfig config) {
        OffsetsInitializer start = switch (config.startingOffsets()) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        return KafkaSource.<RawFrame>builder()
                .setProperties(ClientConfigs.connection(config.kafkaConnection()))
                .setTopics(config.topics().frames().name())
                .setGroupId(config.get("kafka.group-id"))
                .setStartingOffsets(start)
                .setDeserializer(new KafkaRecords.Frames())
                .setProperty("isolation.level", "read_committed")
                .setProperty(
                        "max.partition.fetch.bytes",
                        Integer.toString(config.topicSettings().maxRecordBytes()))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }
}
