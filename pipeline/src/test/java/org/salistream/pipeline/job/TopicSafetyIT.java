package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.MaskConsumer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.TopicReadout;
import org.salistream.kafka.Topics;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.testing.JobHarness;
import org.salistream.pipeline.testing.Procedures;

/**
 * The job never alters a cluster's topics: started against a broker whose topics were created by someone
 * else with other settings, it runs a procedure and leaves every partition count and config as it was; and
 * with creation off it refuses to start, naming the missing topic.
 */
class TopicSafetyIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    @Test
    void startingTheJobAgainstTopicsWithOtherSettingsChangesNothing() throws Exception {
        try (Admin admin = Admin.create(ClientConfigs.admin(KAFKA.bootstrapServers()))) {
            // Someone else's topics: other partition counts, retention, segment and message limits.
            Map<String, String> other = Map.of(
                    "retention.ms",
                    "123456789",
                    "segment.ms",
                    "7200000",
                    "max.message.bytes",
                    "9000000",
                    "min.insync.replicas",
                    "1");
            admin.createTopics(List.of(
                            new NewTopic(Topics.FRAMES, 2, (short) 1).configs(other),
                            new NewTopic(Topics.MASKS, 3, (short) 1).configs(other),
                            new NewTopic(Topics.ALERTS, 1, (short) 1).configs(Map.of("retention.ms", "1000000")),
                            new NewTopic(Topics.FRAMES_DLQ, 2, (short) 1).configs(Map.of("retention.ms", "999999999"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Map<String, String> before = snapshot(admin);

            PipelineConfig config = JobHarness.config(KAFKA.bootstrapServers());
            JobClient job = JobHarness.start(config);
            try {
                List<byte[]> frames = Procedures.frames("safety-1", 3, FrameHeaders.PNG);
                try (FrameProducer producer = new FrameProducer(KAFKA.bootstrapServers())) {
                    Procedures.sendInterleaved(
                            producer, Map.of("safety-1", frames), Map.of("safety-1", FrameHeaders.PNG));
                }
                TopicReadout<MaskEnvelope> masks;
                try (MaskConsumer consumer = MaskConsumer.fromBeginning(KAFKA.bootstrapServers())) {
                    masks = consumer.untilEnded(List.of("safety-1"), Duration.ofMinutes(3));
                }
                assertFalse(masks.timedOut(), "the job runs on the existing topics: " + masks);
                assertEquals(3, masks.count("safety-1"));
            } finally {
                job.cancel().get();
            }
            assertEquals(before, snapshot(admin), "the job changed a topic");
        }
    }

    @Test
    void withCreationOffAMissingTopicStopsTheStartAndIsNamed() {
        PipelineConfig config = JobHarness.config(
                KAFKA.bootstrapServers(), "kafka.topics.create-missing", "false", "kafka.topics.masks", "site2.masks");
        KafkaException e = assertThrows(KafkaException.class, () -> JobLauncher.prepare(config, true));
        assertTrue(e.getMessage().contains("'site2.masks'"), e.getMessage());
    }

    /** Every partition count and every topic-level config (whatever its source) of the four topics. */
    private static Map<String, String> snapshot(Admin admin) throws Exception {
        Map<String, String> s = new TreeMap<>();
        admin.describeTopics(Topics.ALL)
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .forEach((name, d) -> s.put(
                        name + " partitions", Integer.toString(d.partitions().size())));
        List<ConfigResource> resources = Topics.ALL.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                .toList();
        admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS).forEach((r, c) -> {
            for (ConfigEntry e : c.entries()) {
                s.put(r.name() + " " + e.name(), e.value() + " (" + e.source() + ")");
            }
        });
        return s;
    }
}
