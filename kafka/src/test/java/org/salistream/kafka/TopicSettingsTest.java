package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSettingsTest {

    @Test
    void theDefaultsCreateFourCoPartitionedTopicsForOneNode() {
        List<NewTopic> topics = TopicSettings.defaults().newTopics();
        assertEquals(Topics.ALL, topics.stream().map(NewTopic::name).toList());
        assertEquals(
                List.of(4, 4, 4, 1),
                topics.stream().map(NewTopic::numPartitions).toList());
        topics.forEach(t -> assertEquals((short) 1, t.replicationFactor()));
        topics.forEach(t -> assertEquals("1", t.configs().get("min.insync.replicas")));
    }

    @Test
    void framesAcceptEightMebibytesPlusHeadersAndTheDlqSomeMore() {
        TopicSettings s = TopicSettings.defaults();
        int frames = Integer.parseInt(s.configsFor(Topics.FRAMES).get("max.message.bytes"));
        int dlq = Integer.parseInt(s.configsFor(Topics.FRAMES_DLQ).get("max.message.bytes"));
        assertEquals(8 * 1024 * 1024 + 64 * 1024, frames);
        assertTrue(dlq > frames, "the DLQ must take any frame record plus its reason headers");
        assertTrue(s.producerMaxRequestBytes() > dlq);
    }

    @Test
    void retentionIsShortForVideoAndLongerForResults() {
        TopicSettings s = TopicSettings.defaults();
        Map<String, String> frames = s.configsFor(Topics.FRAMES);
        assertEquals(Long.toString(Duration.ofDays(1).toMillis()), frames.get("retention.ms"));
        assertEquals(
                Long.toString(Duration.ofDays(30).toMillis()),
                s.configsFor(Topics.ALERTS).get("retention.ms"));
        assertEquals("delete", frames.get("cleanup.policy"));
        assertEquals("LogAppendTime", frames.get("message.timestamp.type"), "frames retention counts from arrival");
        assertEquals("CreateTime", s.configsFor(Topics.MASKS).get("message.timestamp.type"));
    }

    @Test
    void deadLettersAreNeverKeptLongerThanFrames() {
        TopicSettings s = TopicSettings.defaults();
        assertEquals(s.frameRetention(), s.dlqRetention());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new TopicSettings(
                        4,
                        1,
                        (short) 1,
                        1,
                        TopicSettings.DEFAULT_MAX_FRAME_BYTES,
                        Duration.ofDays(1),
                        Duration.ofDays(7),
                        Duration.ofDays(30),
                        Duration.ofDays(7)));
        assertTrue(e.getMessage().contains("frames.dlq retention"), e.getMessage());
        assertEquals(
                Duration.ofHours(6),
                s.withFrameRetention(Duration.ofHours(6)).dlqRetention(),
                "a shorter frame retention lowers the DLQ's");
        assertEquals(
                Duration.ofDays(1), s.withFrameRetention(Duration.ofDays(3)).dlqRetention(), "a longer one leaves it");
    }

    @Test
    void aRenamedTopicKeepsItsSettings() {
        NewTopic t = TopicSettings.defaults().newTopic(Topics.FRAMES_DLQ, "site2.dlq");
        assertEquals("site2.dlq", t.name());
        assertEquals(1, t.numPartitions());
        assertEquals(TopicSettings.defaults().configsFor(Topics.FRAMES_DLQ), t.configs());
        assertThrows(
                IllegalArgumentException.class, () -> TopicSettings.defaults().newTopic("site2.dlq", "x"));
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(
                IllegalArgumentException.class, () -> TopicSettings.defaults().withPartitions(0));
        assertEquals(
                "need 1 <= min.insync.replicas <= replication factor, got 3 and 2",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TopicSettings.defaults().withReplication(2, 3))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> TopicSettings.defaults().withFrameRetention(Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class, () -> TopicSettings.defaults().configsFor("frame"));
    }
}
