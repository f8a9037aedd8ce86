package org.salistream.pipeline.operators;

import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.salistream.kafka.DlqReason;
import org.salistream.kafka.ProcedureIdSerde;
import org.salistream.model.stage.SegmentResult;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.SegmentedFrame;
import org.salistream.pipeline.schedule.BatchRunner;
import org.salistream.pipeline.state.FrameMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BatchRunner}'s results as {@link SaliOperator}'s records, dead letters and metrics. It is apart from
 * the operator because turning a result into a record is not a Flink lifecycle concern: the operator keeps
 * state, timers and the checkpoint flush, and hands this class its output and metrics when it opens.
 */
final class RunnerResults implements BatchRunner.Output {

    // Logged under the operator's name, where these lines always were, so that log filters keep working.
    private static final Logger LOG = LoggerFactory.getLogger(SaliOperator.class);

    private final Output<StreamRecord<SegmentedFrame>> output;
    private final SaliMetrics metrics;
    private final String framesTopic;

    /** Results written to the operator's {@code output}; {@code framesTopic} names the source of dead letters without one. */
    RunnerResults(Output<StreamRecord<SegmentedFrame>> output, SaliMetrics metrics, String framesTopic) {
        this.output = output;
        this.metrics = metrics;
        this.framesTopic = framesTopic;
    }

    /** Counts a dead letter and sends it to {@link SaliOperator#DEAD_LETTERS}. */
    void deadLetter(DeadLetter d) {
        metrics.deadLetter();
        output.collect(SaliOperator.DEAD_LETTERS, new StreamRecord<>(d));
    }

    @Override
    public void segmented(String key, FrameMeta meta, SegmentResult result, int batchSize) {
        SegmentedFrame s = new SegmentedFrame();
        s.kind = FrameEvent.Kind.FRAME;
        s.procedureId = key;
        s.frameIndex = meta.index;
        s.captureMicros = meta.captureMicros;
        s.deviceId = meta.deviceId;
        s.width = meta.width;
        s.height = meta.height;
        s.sourcePartition = meta.sourcePartition;
        s.sourceOffset = meta.sourceOffset;
        s.size = result.size();
        s.logits = result.logits();
        s.memoryFrames = result.memory().frames();
        s.batchSize = batchSize;
        metrics.segmented();
        output.collect(new StreamRecord<>(s));
    }

    @Override
    public void failed(String key, FrameMeta meta, FrameEvent event, String why) {
        String message = "frame " + meta.index + ": " + why;
        metrics.modelFailure();
        deadLetter(
                event != null && event.source != null
                        ? DeadLetter.of(event.source, DlqReason.MODEL_FAILED, message)
                        : DeadLetter.ofFrame(
                                ProcedureIdSerde.encode(key),
                                framesTopic,
                                meta.sourcePartition,
                                meta.sourceOffset,
                                DlqReason.MODEL_FAILED,
                                message));
    }

    @Override
    public void ended(String key, long lastIndex, String closedReason) {
        if (closedReason != null) {
            metrics.procedureClosedForFailures();
            LOG.warn("Closed a procedure: {}", closedReason); // no procedure id in logs (patient data)
        }
        output.collect(new StreamRecord<>(SegmentedFrame.end(key, lastIndex, closedReason)));
    }

    @Override
    public void encodeTimed(int frames, long nanos) {
        metrics.encoded(frames, nanos);
    }

    @Override
    public void segmentTimed(int frames, long nanos) {
        metrics.segmentCall(frames, nanos);
    }
}
