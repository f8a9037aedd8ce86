package org.salistream.kafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.salistream.kafka.ClientConfigs;

/** The extension as other modules use it declaratively: a broker parameter, shared with nested classes. */
@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaExtensionIT {

    private static EmbeddedKafkaBroker fromBeforeAll;

    @BeforeAll
    static void remember(EmbeddedKafkaBroker broker) {
        fromBeforeAll = broker;
    }

    @Test
    void aTestGetsTheClassBrokerRunning(EmbeddedKafkaBroker broker) throws Exception {
        assertSame(fromBeforeAll, broker);
        assertTrue(broker.isRunning());
        try (Admin admin = Admin.create(ClientConfigs.admin(broker.bootstrapServers()))) {
            assertEquals(broker.clusterId(), admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS));
        }
    }

    @Nested
    class InANestedClass {
        @Test
        void theOuterBrokerIsReused(EmbeddedKafkaBroker broker) {
            assertSame(fromBeforeAll, broker);
        }
    }
}
