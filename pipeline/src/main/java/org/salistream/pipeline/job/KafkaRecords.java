package org.salistream.pipeline.job;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.AlertEventSerde;
import org.salistream.kafka.DeadLetters;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.ProcedureIdSerde;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.MaskFrame;
import org.salistream.pipeline.events.RawFrame;

/**
 * The job's Kafka (de)serialisation, on the wire contract of the {@code kafka} module: frames are read raw
 * (validation is the decode stage's job, so a bad record never fails the source); masks, alerts and dead
 * letters are written with the contract's serdes and headers.
 */
public final class KafkaRecords {

    private KafkaRecords() {}

    /** Reads {@code frames} records as they are. */
    public static final class Frames implements KafkaRecordDeserializationSchema<RawFrame> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawFrame> out) {
            out.collect(RawFrame.of(record));
        }

        @Override
        public TypeInformation<RawFrame> getProducedType() {
            return TypeInformation.of(RawFrame.class);
        }
    }

    /** Writes masks; a procedure's end becomes the end-of-procedure marker (empty value, header). */
    public static final class Masks implements KafkaRecordSerializationSchema<MaskFrame> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        /** Masks for {@code topic}. */
        public Masks(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(MaskFrame m, KafkaSinkContext ctx, Long timestamp) {
            byte[] key = ProcedureIdSerde.encode(m.procedureId);
            if (m.isEnd()) {
                return new ProducerRecord<>(
                        topic,
                        null,
                        null,
                        key,
                        new byte[0],
                        FrameHeaders.writeEndOfProcedure(new RecordHeaders(), m.frameIndex));
            }
            return new ProducerRecord<>(topic, null, m.emitMicros / 1000, key, m.envelope);
        }
    }

    /** Writes alerts as the contract's JSON. */
    public static final class Alerts implements KafkaRecordSerializationSchema<AlertEvent> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        /** Alerts for {@code topic}. */
        public Alerts(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(AlertEvent e, KafkaSinkContext ctx, Long timestamp) {
            return new ProducerRecord<>(
                    topic,
                    null,
                    e.emitMicros() / 1000,
                    ProcedureIdSerde.encode(e.procedureId()),
                    AlertEventSerde.encode(e));
        }
    }

    /** Writes dead letters: the original key, value and headers plus the reason headers. */
    public static final class DeadLettersOut implements KafkaRecordSerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        /** Dead letters for {@code topic}. */
        public DeadLettersOut(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext ctx, Long timestamp) {
            RawFrame original = new RawFrame();
            original.headerNames = d.headerNames;
            original.headerValues = d.headerValues;
            var headers = DeadLetters.headers(
                    original.headers(),
                    d.reason,
                    d.message,
                    d.topic,
                    d.partition,
                    d.offset,
                    System.currentTimeMillis() * 1000);
            return new ProducerRecord<>(topic, null, d.timestamp >= 0 ? d.timestamp : null, d.key, d.value, headers);
        }
    }
}
