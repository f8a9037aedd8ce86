package org.salistream.live;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.Topic;

/**
 * Checks, before a live client starts, that Kafka answers and that its topics exist, so that a wrong
 * address or a missing job is a one-line error up front rather than a client that waits silently or
 * writes half a procedure.
 */
public final class KafkaReachability {

    private KafkaReachability() {}

    /**
     * Asks the cluster to describe the topics.
     *
     * @throws IOException one line naming the address or the missing topic
     */
    public static void require(KafkaConnection connection, List<? extends Topic<?, ?>> topics, Duration timeout)
            throws IOException {
        String bootstrap = connection.bootstrapServers();
        Properties p = ClientConfigs.admin(connection);
        p.put("client.id", "sali-live-check");
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        p.put("request.timeout.ms", Integer.toString(millis));
        p.put("default.api.timeout.ms", Integer.toString(millis));
        List<String> names = topics.stream().map(Topic::name).toList();
        try (Admin admin = Admin.create(p)) {
            admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException) {
                throw new IOException("Kafka at " + bootstrap + " lacks the topics " + names
                        + " (sali run or sali broker" + " create them)");
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new IOException("Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds() + " s");
            }
            throw new IOException("Kafka at " + bootstrap + ": " + cause.getMessage(), cause);
        } catch (KafkaException e) {
            throw new IOException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking Kafka at " + bootstrap, e);
        }
    }
}
