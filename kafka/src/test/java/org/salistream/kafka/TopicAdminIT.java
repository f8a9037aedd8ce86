package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topic creation on a real broker: the described topics carry the settings, and ensuring is idempotent. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopicAdminIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    @Order(1)
    void ensuringCreatesTheTopicsWithTheirSettingsThenChangesNothing() throws Exception {
        TopicSettings settings = TopicSettings.defaults();
        Map<String, TopicAdmin.Outcome> first = TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), settings);
        assertEquals(Topics.ALL, List.copyOf(first.keySet()));
        first.values().forEach(o -> assertEquals(TopicAdmin.Outcome.CREATED, o, first::toString));

        try (Admin admin = Admin.create(ClientConfigs.admin(KAFKA.bootstrapServers()))) {
            Map<String, TopicDescription> described = admin.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS);
            for (String topic : Topics.ALL) {
                int expected = topic.equals(Topics.FRAMES_DLQ) ? settings.dlqPartitions() : settings.partitions();
                assertEquals(expected, described.get(topic).partitions().size(), topic);
                Config config = configOf(admin, topic);
                settings.configsFor(topic).forEach((name, value) ->
                        assertEquals(value, config.get(name).value(), topic + " " + name));
            }
            assertEquals(String.valueOf(8 * 1024 * 1024 + 64 * 1024), configOf(admin, Topics.FRAMES).get("max.message.bytes").value());
        }

        Map<String, TopicAdmin.Outcome> second = TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), settings);
        second.values().forEach(o -> assertEquals(TopicAdmin.Outcome.UNCHANGED, o, second::toString));
    }

    @Test
    @Order(2)
    void aDriftedConfigIsSetBackAndReportedAsUpdated() throws Exception {
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), TopicSettings.defaults());
        try (Admin admin = Admin.create(ClientConfigs.admin(KAFKA.bootstrapServers()))) {
            ConfigResource masks = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MASKS);
            admin.incrementalAlterConfigs(Map.of(masks, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1000"),
                    AlterConfigOp.OpType.SET)))).all().get(10, TimeUnit.SECONDS);
            Map<String, TopicAdmin.Outcome> outcome = TopicAdmin.ensureTopics(admin, TopicSettings.defaults(), java.time.Duration.ofSeconds(30));
            assertEquals(TopicAdmin.Outcome.UPDATED, outcome.get(Topics.MASKS));
            assertEquals(TopicAdmin.Outcome.UNCHANGED, outcome.get(Topics.FRAMES));
            assertEquals(TopicSettings.defaults().configsFor(Topics.MASKS).get("retention.ms"),
                    configOf(admin, Topics.MASKS).get("retention.ms").value());
        }
    }

    @Test
    @Order(3)
    void topicsUnderConfiguredNamesAreCreatedWithTheirKindsSettings() throws Exception {
        SaliTopics ward = SaliTopics.named("ward3.frames", "ward3.masks", "ward3.alerts", "ward3.frames.dlq");
        Map<String, TopicAdmin.Outcome> outcome = TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), ward, TopicSettings.defaults());
        assertEquals(ward.names(), List.copyOf(outcome.keySet()));
        outcome.values().forEach(o -> assertEquals(TopicAdmin.Outcome.CREATED, o, outcome::toString));
        try (Admin admin = Admin.create(ClientConfigs.admin(KAFKA.bootstrapServers()))) {
            assertEquals(TopicSettings.defaults().configsFor(Topic.Kind.ALERTS).get("retention.ms"),
                    configOf(admin, "ward3.alerts").get("retention.ms").value());
        }
    }

    private static Config configOf(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get(10, TimeUnit.SECONDS).get(r);
    }
}
