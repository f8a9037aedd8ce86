package org.salistream.live.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.RecordedFrame;
import org.salistream.datasets.RecordedProcedure;
import org.salistream.datasets.SunSegLayout;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.BoundingBox;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.MaskPng;
import org.salistream.kafka.SaliTopics;
import org.salistream.live.EpochMicros;

/**
 * Streams a synthetic procedure as the gateway and the job would write it, with the ground truth as the
 * mask: frames to {@code frames}, for each frame its ground-truth mask (probability 1 on the polyp) to
 * {@code masks}, an alert when the polyp first shows and the end marker, all through the topics' contract
 * (serdes, headers). A viewer test then knows exactly where the outline must be drawn, whatever a model
 * would have found.
 */
public final class GroundTruthStream {

    private GroundTruthStream() {}

    /** Streams every frame of {@code caseId} at {@code fps}, each mask {@code maskDelayMillis} after its frame. */
    public static void stream(String bootstrap, Path split, String caseId, double fps, long maskDelayMillis)
            throws IOException, InterruptedException {
        SaliTopics topics = SaliTopics.defaults();
        Properties p = ClientConfigs.producer(bootstrap);
        try (FrameProducer frames = new FrameProducer(bootstrap);
                KafkaProducer<byte[], byte[]> results =
                        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
                Stream<RecordedFrame> recorded = RecordedProcedure.ofSunSegCase(SunSegLayout.ofSplitRoot(split), caseId)
                        .frames()) {
            long start = System.nanoTime();
            long last = -1;
            boolean alerted = false;
            for (RecordedFrame f : (Iterable<RecordedFrame>) recorded::iterator) {
                long due = start + (long) (f.index() * 1e9 / fps);
                Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                long capture = EpochMicros.now();
                frames.send(
                        caseId, f.index(), capture, "gt-scope", f.contentType(), f.width(), f.height(), f.encoded());
                Thread.sleep(maskDelayMillis);
                MaskEnvelope m = mask(caseId, f, capture);
                results.send(new ProducerRecord<>(
                        topics.masks().name(),
                        topics.masks().encodeKey(caseId),
                        topics.masks().encodeValue(m)));
                if (!alerted && m.area() > 0) {
                    alerted = true;
                    AlertEvent a = new AlertEvent(
                            caseId,
                            AlertEvent.Type.APPEARED,
                            f.index(),
                            f.index(),
                            f.index(),
                            capture,
                            EpochMicros.now(),
                            1f,
                            m.boxes().isEmpty() ? null : m.boxes().get(0),
                            new AlertEvent.Hysteresis(1, 1, 5, 0.5f));
                    results.send(new ProducerRecord<>(
                            topics.alerts().name(),
                            topics.alerts().encodeKey(caseId),
                            topics.alerts().encodeValue(a)));
                }
                results.flush();
                last = f.index();
            }
            frames.endProcedure(caseId, last);
            results.send(new ProducerRecord<>(
                    topics.masks().name(),
                    null,
                    topics.masks().encodeKey(caseId),
                    new byte[0],
                    FrameHeaders.writeEndOfProcedure(new RecordHeaders(), last)));
        }
    }

    private static MaskEnvelope mask(String caseId, RecordedFrame f, long capture) {
        GrayImage gt = f.mask().orElseThrow();
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        long area = 0;
        for (int y = 0; y < gt.height(); y++) {
            for (int x = 0; x < gt.width(); x++) {
                if (gt.get(x, y) > 128) {
                    area++;
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        List<BoundingBox> boxes = new ArrayList<>();
        if (area > 0) {
            boxes.add(new BoundingBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1, 1f));
        }
        byte[] png = MaskPng.encodeGray(new MaskPng.Gray(gt.width(), gt.height(), gt.pixels()));
        return new MaskEnvelope(
                caseId,
                f.index(),
                capture,
                EpochMicros.now(),
                "ground-truth",
                "synthetic",
                gt.width(),
                gt.height(),
                area > 0 ? 1f : 0f,
                area,
                0.5f,
                boxes,
                png);
    }
}
