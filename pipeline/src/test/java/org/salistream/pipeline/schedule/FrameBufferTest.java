package org.salistream.pipeline.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.salistream.pipeline.events.FrameEvent;

/** When the micro-batch runs: full, every live procedure in it, an end, or the deadline. */
class FrameBufferTest {

    private static final BatchPolicy POLICY = new BatchPolicy(4, 20, 1000, 3);

    private static FrameEvent frame(String procedure, long index) {
        FrameEvent e = new FrameEvent();
        e.kind = FrameEvent.Kind.FRAME;
        e.procedureId = procedure;
        e.frameIndex = index;
        return e;
    }

    @Test
    void withOneProcedureLiveEachFrameRunsAtOnce() {
        FrameBuffer b = new FrameBuffer(POLICY);
        assertTrue(b.add(frame("A", 0), 0), "no other procedure could join the batch");
        assertEquals(1, b.drain().size());
        assertTrue(b.add(frame("A", 1), 40));
    }

    @Test
    void theBatchWaitsUntilEveryLiveProcedureHasAFrameInIt() {
        FrameBuffer b = new FrameBuffer(POLICY);
        for (String p : List.of("A", "B", "C")) {
            b.add(frame(p, 0), 0);
            b.drain();
        }
        assertFalse(b.add(frame("A", 1), 40), "B and C are live: wait for them");
        assertEquals(60, b.deadline(), "at most batch.max-wait after the first frame");
        assertFalse(b.add(frame("B", 1), 45));
        assertTrue(b.add(frame("C", 1), 50), "every live procedure is in");
        assertEquals(
                List.of("A", "B", "C"),
                b.drain().stream().map(e -> e.procedureId).toList());
        assertEquals(-1, b.deadline());
    }

    @Test
    void aProcedureSilentForTheLiveWindowIsNoLongerWaitedFor() {
        FrameBuffer b = new FrameBuffer(POLICY);
        b.add(frame("A", 0), 0);
        b.add(frame("B", 0), 0);
        b.drain();
        assertFalse(b.add(frame("A", 1), 500), "B sent 500 ms ago: still live");
        b.drain();
        assertTrue(b.add(frame("A", 2), 1500), "B silent for 1.5 s: not live any more");
        assertEquals(1, b.liveProcedures(1500));
    }

    @Test
    void anEndRunsAtOnceAndTheProcedureLeavesTheLiveSet() {
        FrameBuffer b = new FrameBuffer(POLICY);
        b.add(frame("A", 0), 0);
        b.add(frame("B", 0), 0);
        b.drain();
        FrameEvent end = FrameEvent.endOf("B", 0);
        assertTrue(b.add(end, 10));
        b.drain();
        assertTrue(b.add(frame("A", 1), 40), "B ended: A alone is a full batch");
    }

    @Test
    void theBatchRunsWhenFull() {
        FrameBuffer b = new FrameBuffer(new BatchPolicy(2, 20, 1000, 3));
        for (String p : List.of("A", "B", "C")) {
            b.add(frame(p, 0), 0);
        }
        b.drain();
        assertFalse(b.add(frame("A", 1), 100));
        assertTrue(b.add(frame("A", 2), 101), "two frames: the most a call takes");
    }

    @Test
    void theBatchRunsAtItsDeadline() {
        FrameBuffer b = new FrameBuffer(POLICY);
        for (String p : List.of("A", "B", "C")) {
            b.add(frame(p, 0), 0);
        }
        b.drain();
        assertFalse(b.add(frame("A", 1), 100));
        assertEquals(120, b.deadline());
        assertTrue(b.add(frame("B", 1), 125), "past the deadline of the first frame");
    }
}
