package org.salistream.live.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.MaskPng;

class LiveJoinTest {

    @Test
    void aMaskIsShownOnItsOwnFrame() {
        LiveJoin j = new LiveJoin(10, 4);
        j.onFrame(frame(0));
        j.onFrame(frame(1));
        Optional<LiveJoin.Joined> got = j.onMask(mask(0));
        assertTrue(got.isPresent());
        assertEquals(0, got.get().frame().index());
        assertTrue(got.get().exact());
    }

    @Test
    void aMaskWhoseFrameIsGoneIsShownOnTheNextFrame() {
        LiveJoin j = new LiveJoin(3, 4);
        for (int i = 0; i < 6; i++) {
            j.onFrame(frame(i)); // frames 0..2 evicted
        }
        assertEquals(3, j.framesKept());
        LiveJoin.Joined got = j.onMask(mask(1)).orElseThrow();
        assertEquals(3, got.frame().index());
        assertFalse(got.exact());
    }

    @Test
    void aMaskBeforeItsFrameWaitsAndNeverBlocks() {
        LiveJoin j = new LiveJoin(10, 2);
        j.onFrame(frame(0));
        assertTrue(j.onMask(mask(1)).isEmpty());
        assertTrue(j.onMask(mask(2)).isEmpty());
        assertTrue(j.onMask(mask(3)).isEmpty());
        assertEquals(2, j.masksWaiting());
        assertEquals(1, j.droppedMasks(), "the oldest waiting mask makes room");
        List<LiveJoin.Joined> at3 = j.onFrame(frame(3));
        assertEquals(
                List.of(2L, 3L), at3.stream().map(x -> x.mask().frameIndex()).toList());
        assertEquals(
                List.of(3L, 3L),
                at3.stream().map(x -> x.frame().index()).toList(),
                "mask 2's frame never came: shown on 3");
        assertEquals(
                List.of(false, true), at3.stream().map(LiveJoin.Joined::exact).toList());
        assertEquals(0, j.masksWaiting());
    }

    static FrameRecord frame(long i) {
        return new FrameRecord("p", i, 1_000_000 + i * 40_000, "image/jpeg", 8, 6, new byte[] {(byte) i});
    }

    static MaskEnvelope mask(long i) {
        return new MaskEnvelope(
                "p",
                i,
                1_000_000 + i * 40_000,
                2_000_000 + i * 40_000,
                "sali",
                "test",
                8,
                6,
                0.9f,
                4,
                0.5f,
                List.of(),
                MaskPng.encodeProbabilities(new float[48], 8, 6));
    }
}
