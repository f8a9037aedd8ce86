package org.salistream.pipeline.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.MaskConsumer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.MaskPng;
import org.salistream.kafka.TopicReadout;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.FrameMask;
import org.salistream.model.image.RgbImage;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.stage.ProcedureRunner;
import org.salistream.model.stage.SaliStages;
import org.salistream.pipeline.operators.AlertHysteresis;
import org.salistream.pipeline.state.AlertState;

/**
 * Synthetic procedures for pipeline tests: encoded frames (PNG or JPEG) sent interleaved through the real
 * {@link FrameProducer}, and the offline reference of their masks ({@code sali segment}'s loop).
 */
public final class Procedures {

    /** Width of the test frames (not the model size, so that resizing is exercised). */
    public static final int WIDTH = 320;
    /** Height of the test frames. */
    public static final int HEIGHT = 240;

    /** Offline masks already computed with the test model, by the identity of the frames' list. */
    private static final Map<List<byte[]>, Map<Long, FrameMask>> OFFLINE =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private Procedures() {}

    /** The encoded frames of a procedure. */
    public static List<byte[]> frames(String procedure, int n, String contentType) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RgbImage img =
                    new RgbImage(WIDTH, HEIGHT, TestModels.frameRgb(procedure.hashCode() * 131L + i, WIDTH, HEIGHT));
            out.add(encode(img.toBufferedImage(), contentType));
        }
        return out;
    }

    /** PNG or JPEG bytes of an image. */
    public static byte[] encode(BufferedImage img, String contentType) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, contentType.equals(FrameHeaders.PNG) ? "png" : "jpg", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends procedures frame by frame, interleaved, then their end records. */
    public static void sendInterleaved(
            FrameProducer producer, Map<String, List<byte[]>> procedures, Map<String, String> contentTypes) {
        int n = procedures.values().stream().mapToInt(List::size).max().orElse(0);
        sendInterleaved(producer, procedures, contentTypes, 0, n, true);
    }

    /** Sends frames {@code from} (inclusive) to {@code to} (exclusive) of each procedure, interleaved; then the ends if asked. */
    public static void sendInterleaved(
            FrameProducer producer,
            Map<String, List<byte[]>> procedures,
            Map<String, String> contentTypes,
            int from,
            int to,
            boolean ends) {
        for (int i = from; i < to; i++) {
            for (Map.Entry<String, List<byte[]>> p : procedures.entrySet()) {
                if (i < p.getValue().size()) {
                    producer.send(
                            p.getKey(),
                            i,
                            1_700_000_000_000_000L + i * 40_000L,
                            "test-scope",
                            contentTypes.get(p.getKey()),
                            WIDTH,
                            HEIGHT,
                            p.getValue().get(i));
                }
            }
        }
        if (ends) {
            for (Map.Entry<String, List<byte[]>> p : procedures.entrySet()) {
                producer.endProcedure(p.getKey(), p.getValue().size() - 1);
            }
        }
        producer.flush();
    }

    /**
     * Asserts that the alerts of every procedure are exactly what the alert rule gives on its offline masks'
     * confidences: same events, frames, episode ranges and confidences, none lost, none repeated.
     */
    public static void assertOfflineAlerts(
            Map<String, List<byte[]>> procedures,
            AlertEvent.Hysteresis rule,
            TopicReadout<AlertEvent> alerts,
            String context)
            throws Exception {
        try (DjlSaliStages stages = SaliModelLoader.open(TestModels.checkpoint(), TestModels.CONFIG)) {
            for (Map.Entry<String, List<byte[]>> p : procedures.entrySet()) {
                assertEquals(
                        describe(expectedAlerts(stages, p.getKey(), p.getValue(), rule)),
                        describe(alerts.values(p.getKey())),
                        "alerts of " + p.getKey() + " " + context);
            }
        }
    }

    /** The alerts the rule gives on a procedure's offline confidences. */
    public static List<AlertEvent> expectedAlerts(
            SaliStages stages, String procedure, List<byte[]> frames, AlertEvent.Hysteresis rule) throws Exception {
        AlertHysteresis h = new AlertHysteresis(rule);
        AlertState s = h.newState();
        List<AlertEvent> out = new ArrayList<>();
        for (Map.Entry<Long, FrameMask> m : offline(stages, frames).entrySet()) {
            h.observe(s, procedure, m.getKey(), 0, m.getValue().maxProbability(), null, 0)
                    .ifPresent(out::add);
        }
        h.end(s, procedure, 0).ifPresent(out::add);
        return out;
    }

    /** What two runs of the rule agree on: everything but times and boxes. */
    private static List<String> describe(List<AlertEvent> events) {
        return events.stream()
                .map(e -> e.type() + "@" + e.frameIndex() + " [" + e.firstFrameIndex() + ".." + e.lastFrameIndex()
                        + "] " + e.confidence())
                .toList();
    }

    /** Counts the masks readable (read committed) now, of every procedure. */
    public static long committedMasks(String bootstrap, java.util.Collection<String> procedures) {
        try (MaskConsumer c = MaskConsumer.fromBeginning(bootstrap)) {
            TopicReadout<MaskEnvelope> r = c.until(x -> false, java.time.Duration.ofSeconds(3));
            return procedures.stream().mapToLong(r::count).sum();
        }
    }

    /**
     * Asserts that the streamed masks of every procedure are exactly its offline masks: one per frame, in
     * frame order, the same 8-bit map and the same confidence.
     */
    public static void assertOfflineMasks(
            Map<String, List<byte[]>> procedures, TopicReadout<MaskEnvelope> masks, String context) throws Exception {
        try (DjlSaliStages stages = SaliModelLoader.open(TestModels.checkpoint(), TestModels.CONFIG)) {
            for (Map.Entry<String, List<byte[]>> p : procedures.entrySet()) {
                List<MaskEnvelope> got = masks.values(p.getKey());
                int n = p.getValue().size();
                assertEquals(
                        n,
                        got.size(),
                        "exactly one mask per frame of " + p.getKey() + " " + context + ", got frames "
                                + got.stream().map(MaskEnvelope::frameIndex).toList());
                Map<Long, FrameMask> expected = offline(stages, p.getValue());
                for (int i = 0; i < n; i++) {
                    MaskEnvelope m = got.get(i);
                    assertEquals(i, m.frameIndex(), "frame order of " + p.getKey());
                    FrameMask e = expected.get((long) i);
                    assertArrayEquals(
                            e.normalized8(),
                            MaskPng.decodeGray(m.maskPng()).pixels(),
                            "streaming changes no number: mask " + i + " of " + p.getKey() + " " + context);
                    assertEquals(e.maxProbability(), m.maxProbability(), 1e-6f);
                }
            }
        }
    }

    /** The offline masks of one procedure's frames: 8-bit published maps and confidences, by frame. */
    public static Map<Long, FrameMask> offline(SaliStages stages, List<byte[]> frames) throws Exception {
        Map<Long, FrameMask> known = OFFLINE.get(frames);
        if (known != null && stages.config().equals(TestModels.CONFIG)) {
            return known; // the masks and the alerts of a test assert against the same offline run
        }
        Map<Long, FrameMask> out = new LinkedHashMap<>();
        ProcedureRunner runner = new ProcedureRunner(stages);
        ProcedureRunner.Sink sink = (i, r) -> out.put(i, FrameMask.fromLogits(r.logits(), r.size(), WIDTH, HEIGHT));
        for (int i = 0; i < frames.size(); i++) {
            runner.accept(i, FrameDecoder.decode(frames.get(i), "frame " + i), sink);
        }
        runner.finish(sink);
        if (stages.config().equals(TestModels.CONFIG)) {
            OFFLINE.put(frames, out);
        }
        return out;
    }
}
