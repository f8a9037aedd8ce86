package org.salistream.kafka.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server properties of {@link EmbeddedKafkaBroker}'s one node: KRaft combined mode (broker and
 * controller in one process, a static one-voter quorum), loopback listeners, single-replica internal
 * topics so that transactions work, large messages for frames, and few threads. The properties follow
 * Kafka's {@code config/server.properties} for KRaft plus what {@code KafkaClusterTestKit} sets for tests.
 */
final class SingleNodeConfig {

    private SingleNodeConfig() {}

    static Map<String, Object> properties(
            int nodeId, String host, int brokerPort, int controllerPort, String controllerListener, Path dataDir) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", nodeId + "@" + host + ":" + controllerPort);
        p.put(
                "listeners",
                "PLAINTEXT://" + host + ":" + brokerPort + "," + controllerListener + "://" + host + ":"
                        + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + controllerListener + ":PLAINTEXT");
        p.put("controller.listener.names", controllerListener);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("data").toString());
        p.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        // One node: every internal topic has one replica, and transactions need their log's min ISR at 1.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Flink's exactly-once KafkaSink asks for transaction timeouts up to 15 minutes.
        p.put("transaction.max.timeout.ms", "900000");
        p.put("message.max.bytes", Integer.toString(EmbeddedKafkaBroker.DEFAULT_MESSAGE_MAX_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(EmbeddedKafkaBroker.DEFAULT_MESSAGE_MAX_BYTES));
        // Consumer groups of tests and demos should not wait the default 3 s before their first rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Small machines: few threads, and a small log-cleaner buffer (the default allocates 128 MiB).
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        return p;
    }
}
