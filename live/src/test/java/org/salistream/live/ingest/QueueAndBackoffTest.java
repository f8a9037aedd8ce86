package org.salistream.live.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.salistream.live.DropOldestQueue;

class QueueAndBackoffTest {

    @Test
    void aFullQueueDropsItsOldestAndCountsIt() throws Exception {
        DropOldestQueue<Integer> q = new DropOldestQueue<>(3);
        for (int i = 0; i < 5; i++) {
            q.offer(i);
        }
        assertEquals(2, q.dropped());
        assertEquals(3, q.size());
        assertEquals(2, q.poll(0, TimeUnit.SECONDS));
        assertEquals(3, q.poll(0, TimeUnit.SECONDS));
        assertEquals(4, q.poll(0, TimeUnit.SECONDS));
        assertNull(q.poll(10, TimeUnit.MILLISECONDS));
    }

    @Test
    void offeringNeverWaitsWhilePuttingWaitsForRoom() throws Exception {
        DropOldestQueue<Integer> q = new DropOldestQueue<>(1);
        long t0 = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            q.offer(i);
        }
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
        Thread taker = new Thread(() -> {
            try {
                Thread.sleep(200);
                q.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        taker.start();
        long t1 = System.nanoTime();
        q.put(42);
        assertTrue(System.nanoTime() - t1 >= TimeUnit.MILLISECONDS.toNanos(150), "put waited for the taker");
        taker.join();
        assertEquals(42, q.poll(0, TimeUnit.SECONDS));
    }

    @Test
    void aClosedQueueHandsOutWhatIsLeftThenReportsDrained() throws Exception {
        DropOldestQueue<String> q = new DropOldestQueue<>(2);
        q.offer("a");
        q.close();
        assertThrows(IllegalStateException.class, () -> q.offer("b"));
        assertEquals("a", q.poll(1, TimeUnit.SECONDS));
        assertTrue(q.isDrained());
        assertNull(q.poll(1, TimeUnit.SECONDS));
    }

    @Test
    void backoffDoublesUpToItsCapWithinTenPercentAndStartsOverAfterAReset() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), 7);
        long[] expected = {250, 500, 1000, 2000, 2000, 2000};
        for (long e : expected) {
            long got = b.next().toMillis();
            assertTrue(got >= e * 0.9 - 1 && got <= Math.min(2000, e * 1.1 + 1), e + " vs " + got);
        }
        assertEquals(6, b.attempts());
        b.reset();
        assertTrue(b.next().toMillis() <= 276);
        assertThrows(
                IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 1));
    }
}
