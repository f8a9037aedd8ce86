package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.salistream.kafka.broker.EmbeddedKafkaExtension;

/**
 * Topics on a real broker: missing topics are created with their settings, existing ones are never altered
 * by creating (only reported), and {@code apply} is what changes them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopicAdminIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

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
            Map<String, TopicDescription> described =
                    admin.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS);
            for (String topic : Topics.ALL) {
                int expected = topic.equals(Topics.FRAMES_DLQ) ? settings.dlqPartitions() : settings.partitions();
                assertEquals(expected, described.get(topic).partitions().size(), topic);
                Config config = configOf(admin, topic);
                settings.configsFor(topic)
                        .forEach((name, value) ->
                                assertEquals(value, config.get(name).value(), topic + " " + name));
            }
            assertEquals(
                    String.valueOf(8 * 1024 * 1024 + 64 * 1024),
                    configOf(admin, Topics.FRAMES).get("max.message.bytes").value());
            TopicAdmin.inspect(admin, settings, SaliTopics.defaults(), TIMEOUT)
                    .forEach(d -> assertTrue(d.inSync(), d::toString));
        }

        Map<String, TopicAdmin.Outcome> second = TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), settings);
        second.values().forEach(o -> assertEquals(TopicAdmin.Outcome.UNCHANGED, o, second::toString));
    }

    @Test
    @Order(2)
    void aDriftedTopicIsReportedLeftAsItIsByCreatingAndChangedOnlyByApply() throws Exception {
        TopicSettings settings = TopicSettings.defaults();
        try (Admin admin = Admin.create(ClientConfigs.admin(KAFKA.bootstrapServers()))) {
            ConfigResource masks = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MASKS);
            admin.incrementalAlterConfigs(Map.of(
                            masks,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(10, TimeUnit.SECONDS);

            Map<String, TopicAdmin.Outcome> created =
                    TopicAdmin.createMissing(admin, settings, SaliTopics.defaults(), TIMEOUT);
            created.values().forEach(o -> assertEquals(TopicAdmin.Outcome.UNCHANGED, o, created::toString));
            assertEquals(
                    "1000", configOf(admin, Topics.MASKS).get("retention.ms").value(), "creating never alters a topic");

            TopicDrift drift = TopicAdmin.inspect(admin, settings, SaliTopics.defaults(), TIMEOUT)
                    .get(1);
            assertEquals(Topics.MASKS, drift.name());
            assertFalse(drift.inSync());
            assertEquals(
                    List.of(new TopicDrift.ConfigChange(
                            "retention.ms",
                            "1000",
                            settings.configsFor(Topics.MASKS).get("retention.ms"))),
                    drift.configChanges());

            Map<String, TopicAdmin.Outcome> applied =
                    TopicAdmin.apply(admin, settings.withPartitions(5), SaliTopics.defaults(), TIMEOUT);
            assertEquals(
                    Map.of(
                            Topics.FRAMES,
                            TopicAdmin.Outcome.UPDATED,
                            Topics.MASKS,
                            TopicAdmin.Outcome.UPDATED,
                            Topics.ALERTS,
                            TopicAdmin.Outcome.UPDATED,
                            Topics.FRAMES_DLQ,
                            TopicAdmin.Outcome.UNCHANGED),
                    applied);
            assertEquals(
                    settings.configsFor(Topics.MASKS).get("retention.ms"),
                    configOf(admin, Topics.MASKS).get("retention.ms").value());
            TopicAdmin.inspect(admin, settings.withPartitions(5), SaliTopics.defaults(), TIMEOUT)
                    .forEach(d -> assertTrue(d.inSync(), d::toString));
        }
    }

    @Test
    @Order(3)
    void renamedTopicsAreCreatedUnderTheirNamesAndAMissingOneIsNamedWhenCreationIsOff() throws Exception {
        SaliTopics names = SaliTopics.named("site2.frames", Topics.MASKS, Topics.ALERTS, "site2.frames.dlq");
        try (Admin admin = Admin.create(ClientConfigs.admin(KAFKA.bootstrapServers()))) {
            KafkaException missing =
                    assertThrows(KafkaException.class, () -> TopicAdmin.requireExisting(admin, names, TIMEOUT));
            assertTrue(missing.getMessage().contains("'site2.frames'"), missing.getMessage());
            Map<String, TopicAdmin.Outcome> created =
                    TopicAdmin.createMissing(admin, TopicSettings.defaults(), names, TIMEOUT);
            assertEquals(TopicAdmin.Outcome.CREATED, created.get("site2.frames"));
            assertEquals(TopicAdmin.Outcome.UNCHANGED, created.get(Topics.MASKS));
            assertEquals(
                    "86400000",
                    configOf(admin, "site2.frames.dlq").get("retention.ms").value(),
                    "dead letters are kept no longer than frames");
            TopicAdmin.requireExisting(admin, names, TIMEOUT);
        }
    }

    @Test
    @Order(3)
    void topicsUnderConfiguredNamesAreCreatedWithTheirKindsSettings() throws Exception {
        SaliTopics ward = SaliTopics.named("ward3.frames", "ward3.masks", "ward3.alerts", "ward3.frames.dlq");
        Map<String, TopicAdmin.Outcome> outcome =
                TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), ward, TopicSettings.defaults());
        assertEquals(ward.names(), List.copyOf(outcome.keySet()));
        outcome.values().forEach(o -> assertEquals(TopicAdmin.Outcome.CREATED, o, outcome::toString));
        try (Admin admin = Admin.create(ClientConfigs.admin(KAFKA.bootstrapServers()))) {
            assertEquals(
                    TopicSettings.defaults().configsFor(Topic.Kind.ALERTS).get("retention.ms"),
                    configOf(admin, "ward3.alerts").get("retention.ms").value());
        }
    }

    private static Config configOf(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get(10, TimeUnit.SECONDS).get(r);
    }
}
