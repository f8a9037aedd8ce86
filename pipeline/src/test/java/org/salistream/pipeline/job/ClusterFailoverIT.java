package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.salistream.kafka.AlertConsumer;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.MaskConsumer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.TopicReadout;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.testing.ClusterFixture;
import org.salistream.pipeline.testing.Procedures;

/**
 * Failover on a real multi-process Flink cluster (a JobManager and two TaskManagers, each its own JVM) and a
 * real broker: a TaskManager killed with SIGKILL mid-procedure, the broker stopped and started again
 * mid-stream, and a rescale from 1 to 2 through a savepoint. Each time, the masks and alerts read
 * read-committed are exactly the offline ones, none lost, none duplicated (so the memory bank was restored).
 * Two procedures of 8 frames each at 256x256 (PVTv2-B0) keep each test within a couple of minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {

    private static final int N = 8;
    private static ClusterFixture fixture;

    @BeforeAll
    static void startClusterAndBroker() throws Exception {
        fixture = ClusterFixture.start(2);
    }

    @AfterAll
    static void stopThem() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Map<String, List<byte[]>> procedures(String prefix) {
        Map<String, List<byte[]>> p = new LinkedHashMap<>();
        p.put(prefix + "-a", Procedures.frames(prefix + "-a", N, FrameHeaders.PNG));
        p.put(prefix + "-b", Procedures.frames(prefix + "-b", N, FrameHeaders.JPEG));
        return p;
    }

    private static Map<String, String> types(Map<String, List<byte[]>> procedures) {
        Map<String, String> t = new LinkedHashMap<>();
        procedures.keySet().forEach(k -> t.put(k, k.endsWith("-a") ? FrameHeaders.PNG : FrameHeaders.JPEG));
        return t;
    }

    private static void send(Map<String, List<byte[]>> procedures, int from, int to, boolean ends) {
        try (FrameProducer producer = new FrameProducer(fixture.bootstrap())) {
            Procedures.sendInterleaved(producer, procedures, types(procedures), from, to, ends);
        }
    }

    /** Waits until some masks of the first half are committed: the job is mid-procedure with a checkpoint. */
    private static void awaitCommitted(Map<String, List<byte[]>> procedures, long atLeast) throws InterruptedException {
        ClusterFixture.await(
                atLeast + " committed masks",
                Duration.ofMinutes(4),
                () -> Procedures.committedMasks(fixture.bootstrap(), procedures.keySet()) >= atLeast);
    }

    private static void assertExactlyTheOfflineResults(
            Map<String, List<byte[]>> procedures, PipelineConfig config, String context) throws Exception {
        TopicReadout<MaskEnvelope> masks;
        try (MaskConsumer consumer = MaskConsumer.fromBeginning(fixture.bootstrap())) {
            masks = consumer.untilEnded(procedures.keySet(), Duration.ofMinutes(5));
        }
        assertFalse(masks.timedOut(), "every procedure ends: " + masks);
        Procedures.assertOfflineMasks(procedures, masks, context);
        Map<String, Integer> counts = new LinkedHashMap<>();
        procedures.keySet().forEach(p -> counts.put(p, 2)); // threshold 0: APPEARED at frame 2, CLEARED at the end
        TopicReadout<AlertEvent> alerts;
        try (AlertConsumer consumer = AlertConsumer.fromBeginning(fixture.bootstrap())) {
            consumer.untilCounts(counts, Duration.ofMinutes(1));
            alerts = consumer.until(r -> false, Duration.ofSeconds(3)); // and nothing more (a duplicate) after them
        }
        Procedures.assertOfflineAlerts(procedures, config.hysteresis(), alerts, context);
    }

    @Test
    @Order(1)
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aTaskManagerKilledMidProcedureIsReplacedAndNothingIsLostOrDuplicated() throws Exception {
        Map<String, List<byte[]>> procedures = procedures("tm-kill");
        PipelineConfig config = fixture.config("tm-kill");
        JobClient job = fixture.submit(config, null);
        try {
            send(procedures, 0, N / 2, false);
            awaitCommitted(procedures, 2);
            String victim = fixture.busyTaskManager();
            assertTrue(fixture.cluster().kill9(victim), victim + " was running");
            int index = Integer.parseInt(victim.substring("taskmanager-".length()));
            fixture.cluster().startTaskManager(index); // the replacement; the spare slot takes over meanwhile
            send(procedures, N / 2, N, true);
            assertExactlyTheOfflineResults(procedures, config, "after kill -9 of " + victim);
            assertTrue(fixture.rest().failures(job.getJobID().toString()) >= 1, "the job failed over");
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theBrokerStoppedAndStartedAgainMidStreamLosesAndDuplicatesNothing() throws Exception {
        Map<String, List<byte[]>> procedures = procedures("broker");
        PipelineConfig config = fixture.config("broker");
        JobClient job = fixture.submit(config, null);
        try {
            send(procedures, 0, N / 2, false);
            awaitCommitted(procedures, 2);
            fixture.stopBroker();
            Thread.sleep(5000); // the job's clients fail; it restarts with growing delays until the broker is back
            fixture.startBroker();
            send(procedures, N / 2, N, true);
            assertExactlyTheOfflineResults(procedures, config, "after a broker restart");
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    @Test
    @Order(3)
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aSavepointRescaledFromOneToTwoSubtasksGoesOnWithTheSameNumbers() throws Exception {
        Map<String, List<byte[]>> procedures = procedures("rescale");
        PipelineConfig one = fixture.config("rescale", "job.parallelism", "1");
        JobClient job = fixture.submit(one, null);
        send(procedures, 0, N / 2, false);
        awaitCommitted(procedures, 2);
        Path savepoints = Files.createTempDirectory("sali-savepoints");
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(3, TimeUnit.MINUTES);
        PipelineConfig two = one.with("job.parallelism", "2");
        JobClient rescaled = fixture.submit(two, Path.of(java.net.URI.create(savepoint)));
        try {
            send(procedures, N / 2, N, true);
            assertExactlyTheOfflineResults(procedures, two, "after rescaling 1 -> 2 from " + savepoint);
            assertEquals(
                    0,
                    fixture.rest().taskManagers().stream()
                            .mapToInt(t -> t.freeSlots())
                            .sum(),
                    "two subtasks use both task managers' slots");
        } finally {
            rescaled.cancel().get(1, TimeUnit.MINUTES);
        }
    }
}
