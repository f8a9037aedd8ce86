package org.salistream.pipeline.operators;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.salistream.kafka.BoundingBox;
import org.salistream.kafka.DlqReason;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.MaskEnvelopeSerde;
import org.salistream.kafka.MaskPng;
import org.salistream.kafka.ProcedureIdSerde;
import org.salistream.model.image.FrameMask;
import org.salistream.model.image.Regions;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.MaskFrame;
import org.salistream.pipeline.events.SegmentedFrame;

/**
 * Turns a segmented frame into its {@code masks} envelope: the published output (logits resized to the
 * frame, sigmoid, min-max normalised, 8-bit PNG), the frame's polyp confidence (max sigmoid probability),
 * and area and boxes of the regions over {@code mask.threshold} on the absolute probability. Records the
 * capture-to-emit latency. A frame whose mask cannot be built is dead-lettered ({@code MODEL_FAILED}, with
 * its source coordinates) and the others go on.
 */
public class MaskBuilder extends ProcessFunction<SegmentedFrame, MaskFrame> {

    private static final long serialVersionUID = 1L;

    /** Frames whose mask could not be built. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("mask-dlq") {
        private static final long serialVersionUID = 1L;
    };

    private final String modelId;
    private final String modelVersion;
    private final float threshold;
    private final int minArea;
    private final String framesTopic;
    private transient Histogram latencyMillis;
    private transient Counter failures;

    /** A builder stamping envelopes with the model's id and version; dead letters name {@code framesTopic}. */
    public MaskBuilder(String modelId, String modelVersion, float threshold, int minArea, String framesTopic) {
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        this.threshold = threshold;
        this.minArea = minArea;
        this.framesTopic = framesTopic;
    }

    @Override
    public void open(OpenContext ctx) {
        latencyMillis = getRuntimeContext()
                .getMetricGroup()
                .histogram("captureToEmitMillis", new DescriptiveStatisticsHistogram(10_000));
        failures = getRuntimeContext().getMetricGroup().counter("maskFailures");
    }

    @Override
    public void processElement(SegmentedFrame s, Context ctx, Collector<MaskFrame> out) {
        MaskFrame m;
        try {
            m = map(s);
        } catch (RuntimeException e) {
            failures.inc();
            ctx.output(
                    DEAD_LETTERS,
                    DeadLetter.ofFrame(
                            ProcedureIdSerde.encode(s.procedureId),
                            framesTopic,
                            s.sourcePartition,
                            s.sourceOffset,
                            DlqReason.MODEL_FAILED,
                            "frame " + s.frameIndex + ": mask building failed: "
                                    + e.getClass().getSimpleName() + ": " + e.getMessage()));
            return;
        }
        out.collect(m);
    }

    /** The mask envelope of a segmented frame (or the end marker of a procedure). */
    public MaskFrame map(SegmentedFrame s) {
        MaskFrame m = new MaskFrame();
        m.kind = s.kind;
        m.procedureId = s.procedureId;
        m.frameIndex = s.frameIndex;
        m.captureMicros = s.captureMicros;
        m.emitMicros = FrameDecodeFunction.nowMicros();
        if (s.kind == FrameEvent.Kind.END) {
            m.envelope = new byte[0];
            m.closedReason = s.closedReason;
            return m;
        }
        FrameMask mask = FrameMask.fromLogits(s.logits, s.size, s.width, s.height);
        boolean[] binary = mask.binary(threshold);
        long area = 0;
        for (boolean b : binary) {
            area += b ? 1 : 0;
        }
        List<BoundingBox> boxes = new ArrayList<>();
        for (Regions.Region r : Regions.of(binary, s.width, s.height, mask.probability(), minArea)) {
            boxes.add(new BoundingBox(r.x(), r.y(), r.width(), r.height(), r.score()));
        }
        byte[] png = MaskPng.encodeGray(new MaskPng.Gray(s.width, s.height, mask.normalized8()));
        m.maxProbability = mask.maxProbability();
        if (!boxes.isEmpty()) {
            BoundingBox b = boxes.get(0);
            m.boxX = b.x();
            m.boxY = b.y();
            m.boxW = b.w();
            m.boxH = b.h();
            m.boxScore = b.score();
        }
        m.envelope = MaskEnvelopeSerde.encode(new MaskEnvelope(
                s.procedureId,
                s.frameIndex,
                s.captureMicros,
                m.emitMicros,
                modelId,
                modelVersion,
                s.width,
                s.height,
                m.maxProbability,
                area,
                threshold,
                boxes,
                png));
        if (latencyMillis != null && s.captureMicros > 0) {
            latencyMillis.update(Math.max(0, (m.emitMicros - s.captureMicros) / 1000));
        }
        return m;
    }
}
