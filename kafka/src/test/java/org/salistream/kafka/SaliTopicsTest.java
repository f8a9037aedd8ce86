package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SaliTopicsTest {

    @Test
    void theDefaultsAreTheContractsNamesInCreationOrder() {
        SaliTopics t = SaliTopics.defaults();
        assertEquals(Topics.ALL, t.names());
        assertEquals(
                List.of(Topic.Kind.FRAMES, Topic.Kind.MASKS, Topic.Kind.ALERTS, Topic.Kind.DEAD_LETTERS),
                t.all().stream().map(Topic::kind).toList());
    }

    @Test
    void namesComeFromTheConfigurationKeysAndMissingKeysKeepTheirDefault() {
        Map<String, String> config =
                Map.of("kafka.topics.frames", "ward3.frames", "kafka.topics.masks", "ward3.masks", "model.size", "352");
        SaliTopics t = SaliTopics.fromKeys(config::get);
        assertEquals(List.of("ward3.frames", "ward3.masks", Topics.ALERTS, Topics.FRAMES_DLQ), t.names());
        assertEquals("ward3.masks", t.toKeys().get(SaliTopics.KEY_MASKS));
        assertEquals(t, SaliTopics.fromKeys(t.toKeys()::get));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "frames/2", "..", "främs"})
    void anIllegalTopicNameIsRefusedNamingTheKey(String name) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SaliTopics.fromKeys(Map.of("kafka.topics.alerts", name)::get));
        assertTrue(e.getMessage().startsWith("kafka.topics.alerts: "), e.getMessage());
    }

    @Test
    void twoRolesCannotShareATopic() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SaliTopics.named("frames", "results", "results", "frames.dlq"));
        assertTrue(e.getMessage().contains("'results' is given twice"), e.getMessage());
    }

    @Test
    void aTopicOfTheWrongKindIsRefused() {
        SaliTopics d = SaliTopics.defaults();
        assertThrows(
                IllegalArgumentException.class,
                () -> new SaliTopics(d.deadLetters(), d.masks(), d.alerts(), d.frames()));
    }

    @Test
    void eachTopicCarriesItsSerdes() {
        SaliTopics t = SaliTopics.named("f", "m", "a", "d");
        assertEquals("proc-1", t.masks().decodeKey(t.masks().encodeKey("proc-1")));
        AlertEvent alert = new AlertEvent(
                "proc-1",
                AlertEvent.Type.APPEARED,
                4,
                2,
                4,
                10,
                20,
                0.9f,
                null,
                new AlertEvent.Hysteresis(3, 5, 5, 0.5f));
        assertEquals(alert, t.alerts().decodeValue(t.alerts().encodeValue(alert)));
        assertArrayEquals(new byte[] {1, 2}, t.frames().decodeValue(t.frames().encodeValue(new byte[] {1, 2})));
        // The masks topic's end-of-procedure marker reads as null through the header-aware path.
        assertNull(t.masks().decodeValue(FrameHeaders.writeEndOfProcedure(new RecordHeaders(), 7), new byte[0]));
    }

    @Test
    void settingsFollowTheKindWhateverTheName() {
        TopicSettings s = TopicSettings.defaults();
        List<NewTopic> created = s.newTopics(SaliTopics.named("f", "m", "a", "d"));
        assertEquals(
                List.of("f", "m", "a", "d"),
                created.stream().map(NewTopic::name).toList());
        assertEquals(s.configsFor(Topics.FRAMES), created.get(0).configs());
        assertEquals(s.configsFor(Topic.Kind.DEAD_LETTERS), created.get(3).configs());
        assertEquals(s.dlqPartitions(), created.get(3).numPartitions());
    }
}
