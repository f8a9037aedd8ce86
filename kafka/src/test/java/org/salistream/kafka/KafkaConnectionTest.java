package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"gateway\" password=\"s3cret-pw\";";

    @Test
    void aClientFileReachesEveryKindOfClientOnTopOfTheDefaults(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gateway.properties");
        Files.writeString(
                file,
                "bootstrap.servers=kafka-1:9093\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=" + JAAS.replace("\"", "\\\"") + "\nlinger.ms=5\n");
        KafkaConnection c = KafkaConnection.load(null, file);
        assertEquals("kafka-1:9093", c.bootstrapServers());
        assertEquals("SASL_SSL", c.securityProtocol());
        for (Properties p : new Properties[] {
            ClientConfigs.admin(c),
            ClientConfigs.producer(c, TopicSettings.defaults()),
            ClientConfigs.readCommittedConsumer(c, "g"),
            ClientConfigs.connection(c)
        }) {
            assertEquals("kafka-1:9093", p.get("bootstrap.servers"));
            assertEquals("SASL_SSL", p.get("security.protocol"));
            assertEquals(JAAS, p.get("sasl.jaas.config"));
        }
        assertEquals(
                "5",
                ClientConfigs.producer(c, TopicSettings.defaults()).get("linger.ms"),
                "the file tunes our defaults");
        assertEquals("all", ClientConfigs.producer(c, TopicSettings.defaults()).get("acks"));
        assertEquals(
                "read_committed", ClientConfigs.readCommittedConsumer(c, null).get("isolation.level"));
        assertEquals(
                "other:1", KafkaConnection.load("other:1", file).bootstrapServers(), "--bootstrap wins over the file");
    }

    @Test
    void secretsNeverShowWhenPrinted() {
        KafkaConnection c = KafkaConnection.of(
                "k:9093",
                Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.jaas.config",
                        JAAS,
                        "ssl.truststore.password",
                        "tspw",
                        "ssl.truststore.location",
                        "/etc/ca.p12"));
        String shown = c.toString();
        assertFalse(shown.contains("s3cret-pw") || shown.contains("tspw"), shown);
        assertTrue(shown.contains("ssl.truststore.location=/etc/ca.p12"), shown);
    }

    @Test
    void propertiesThatCarryTheGuaranteesAreRefused() {
        for (String key :
                new String[] {"acks", "isolation.level", "enable.idempotence", "group.id", "enable.auto.commit"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> KafkaConnection.of("k:9092", Map.of(key, "x")));
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }

    @Test
    void aMissingFileOrBootstrapIsAOneLineError(@TempDir Path dir) throws IOException {
        assertThrows(IOException.class, () -> KafkaConnection.load(null, dir.resolve("nope.properties")));
        Path empty = Files.writeString(dir.resolve("empty.properties"), "security.protocol=SSL\n");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> KafkaConnection.load(null, empty));
        assertTrue(e.getMessage().startsWith(empty + ": bootstrap servers must be given"), e.getMessage());
        assertEquals("PLAINTEXT", KafkaConnection.to("k:9092").securityProtocol());
    }

    @Test
    void logIdsHideTheProcedureIdButStayStable() {
        String hashed = LogIds.procedure("ACC-2024-000123");
        assertTrue(hashed.matches("proc#[0-9a-f]{10}"), hashed);
        assertFalse(hashed.contains("000123"));
        assertEquals(hashed, LogIds.procedure("ACC-2024-000123"));
        assertFalse(hashed.equals(LogIds.procedure("ACC-2024-000124")));
    }
}
