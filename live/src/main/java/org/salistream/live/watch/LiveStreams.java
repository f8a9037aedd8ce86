package org.salistream.live.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.HeaderParse;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.ReadIsolation;
import org.salistream.kafka.SaliTopics;
import org.salistream.kafka.TopicSettings;
import org.salistream.live.EpochMicros;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's Kafka reader, on its own thread: one group-less consumer of {@code frames}, {@code masks}
 * and {@code alerts} with the chosen isolation, starting at the newest frames and masks (a live screen shows
 * what happens now) and at the alerts of the last {@link #ALERT_HISTORY} (so that an alert already open when
 * the viewer starts is shown), feeding the {@link ViewerHub}. A record it cannot read is skipped and
 * counted, never fatal.
 */
public final class LiveStreams implements Runnable, AutoCloseable {

    /** How far back alerts are read at start. */
    static final Duration ALERT_HISTORY = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(LiveStreams.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SaliTopics topics;
    private final ViewerHub hub;
    private volatile boolean running = true;
    private long unreadable;

    /** Assigns and positions the consumer; {@link #run()} reads. */
    public LiveStreams(KafkaConnection connection, SaliTopics topics, ReadIsolation isolation, ViewerHub hub) {
        this.topics = topics;
        this.hub = hub;
        Properties p = ClientConfigs.consumer(connection, null, isolation);
        p.put("client.id", "sali-watch");
        p.put(
                "max.partition.fetch.bytes",
                Integer.toString(TopicSettings.defaults().maxRecordBytes()));
        // A live reader: never let the broker hold a fetch longer than this waiting for more data.
        p.put("fetch.max.wait.ms", "50");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> live = new ArrayList<>();
        List<TopicPartition> alerts = new ArrayList<>();
        for (String t : List.of(topics.frames().name(), topics.masks().name())) {
            consumer.partitionsFor(t, Duration.ofSeconds(10))
                    .forEach(i -> live.add(new TopicPartition(t, i.partition())));
        }
        consumer.partitionsFor(topics.alerts().name(), Duration.ofSeconds(10))
                .forEach(i -> alerts.add(new TopicPartition(topics.alerts().name(), i.partition())));
        List<TopicPartition> all = new ArrayList<>(live);
        all.addAll(alerts);
        consumer.assign(all);
        consumer.seekToEnd(live);
        live.forEach(consumer::position);
        Map<TopicPartition, Long> since = new HashMap<>();
        long from = System.currentTimeMillis() - ALERT_HISTORY.toMillis();
        alerts.forEach(tp -> since.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(since, Duration.ofSeconds(10));
        for (TopicPartition tp : alerts) {
            OffsetAndTimestamp o = found.get(tp);
            if (o != null) {
                consumer.seek(tp, o.offset());
            } else {
                consumer.seekToEnd(List.of(tp));
            }
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        dispatch(r);
                    } catch (SerializationException | IllegalArgumentException e) {
                        if (unreadable++ == 0) {
                            LOG.warn(
                                    "skipping a record that cannot be read ({}); later ones are counted",
                                    e.getMessage());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> r) {
        String procedure = topics.frames().decodeKey(r.key());
        if (!hub.wants(procedure)) {
            return;
        }
        String topic = r.topic();
        if (topic.equals(topics.frames().name())) {
            HeaderParse h = FrameHeaders.parse(r.headers());
            if (h.isFrame()) {
                FrameHeaders f = h.frame();
                hub.onFrame(new FrameRecord(
                        procedure,
                        f.frameIndex(),
                        f.captureMicros(),
                        f.contentType(),
                        f.width(),
                        f.height(),
                        r.value()));
            }
        } else if (topic.equals(topics.masks().name())) {
            if (FrameHeaders.isEndOfProcedure(r.headers())) {
                hub.onEnd(procedure, FrameHeaders.parse(r.headers()).lastIndex());
            } else {
                hub.onMask(topics.masks().decodeValue(r.value()), EpochMicros.now());
            }
        } else {
            hub.onAlert(topics.alerts().decodeValue(r.value()));
        }
    }

    /** Records skipped because they could not be read. */
    public long unreadable() {
        return unreadable;
    }

    /** Stops {@link #run()} (any thread). */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
