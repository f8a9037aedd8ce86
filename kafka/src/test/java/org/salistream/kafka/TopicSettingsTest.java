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
        assertEquals(List.of(4, 4, 4, 1), topics.stream().map(NewTopic::numPartitions).toList());
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
        assertTrue(EmbeddedKafkaBroker.DEFAULT_MESSAGE_MAX_BYTES >= dlq, "the embedded broker must allow the largest topic limit");
    }

    @Test
    void retentionIsShortForVideoAndLongerForResults() {
        TopicSettings s = TopicSettings.defaults();
        Map<String, String> frames = s.configsFor(Topics.FRAMES);
        assertEquals(Long.toString(Duration.ofDays(1).toMillis()), frames.get("retention.ms"));
        assertEquals(Long.toString(Duration.ofDays(30).toMillis()), s.configsFor(Topics.ALERTS).get("retention.ms"));
        assertEquals("delete", frames.get("cleanup.policy"));
        assertEquals("CreateTime", frames.get("message.timestamp.type"));
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TopicSettings.defaults().withPartitions(0));
        assertEquals("need 1 <= min.insync.replicas <= replication factor, got 3 and 2",
                assertThrows(IllegalArgumentException.class, () -> TopicSettings.defaults().withReplication(2, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TopicSettings.defaults().withFrameRetention(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> TopicSettings.defaults().configsFor("frame"));
    }
}
