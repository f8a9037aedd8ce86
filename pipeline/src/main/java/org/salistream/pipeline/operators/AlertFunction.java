package org.salistream.pipeline.operators;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.BoundingBox;
import org.salistream.pipeline.events.MaskFrame;
import org.salistream.pipeline.state.AlertState;

/**
 * The alert stage, keyed by procedure: applies {@link AlertHysteresis} to each frame's confidence and
 * emits polyp appeared/cleared events, and {@code SEGMENTATION_STOPPED} when the SALI operator closed the
 * procedure after model failures. Clearing rule: its state is dropped at the procedure's end marker
 * (which the SALI operator also emits when a procedure goes idle).
 */
public class AlertFunction extends KeyedProcessFunction<String, MaskFrame, AlertEvent> {

    private static final long serialVersionUID = 1L;

    /** The procedure's hysteresis state. */
    public static final ValueStateDescriptor<AlertState> STATE =
            new ValueStateDescriptor<>("alert-hysteresis", TypeInformation.of(AlertState.class));

    private final int appearK;
    private final int appearN;
    private final int clearM;
    private final float threshold;
    private transient AlertHysteresis hysteresis;
    private transient ValueState<AlertState> state;
    private transient Counter alerts;

    /** An alert stage with the given rule. */
    public AlertFunction(AlertEvent.Hysteresis rule) {
        this.appearK = rule.appearK();
        this.appearN = rule.appearN();
        this.clearM = rule.clearM();
        this.threshold = rule.threshold();
    }

    @Override
    public void open(OpenContext ctx) {
        hysteresis = new AlertHysteresis(new AlertEvent.Hysteresis(appearK, appearN, clearM, threshold));
        state = getRuntimeContext().getState(STATE);
        alerts = getRuntimeContext().getMetricGroup().counter("alertsEmitted");
    }

    @Override
    public void processElement(MaskFrame m, Context ctx, Collector<AlertEvent> out) throws Exception {
        AlertState s = state.value();
        if (m.isEnd()) {
            if (m.closedReason != null) {
                emit(out, hysteresis.closed(s, m.procedureId, m.frameIndex, FrameDecodeFunction.nowMicros()));
            } else if (s != null) {
                hysteresis
                        .end(s, m.procedureId, FrameDecodeFunction.nowMicros())
                        .ifPresent(e -> emit(out, e));
            }
            state.clear();
            return;
        }
        if (s == null) {
            s = hysteresis.newState();
        }
        BoundingBox box = m.boxX < 0 ? null : new BoundingBox(m.boxX, m.boxY, m.boxW, m.boxH, m.boxScore);
        hysteresis
                .observe(
                        s,
                        m.procedureId,
                        m.frameIndex,
                        m.captureMicros,
                        m.maxProbability,
                        box,
                        FrameDecodeFunction.nowMicros())
                .ifPresent(e -> emit(out, e));
        state.update(s);
    }

    private void emit(Collector<AlertEvent> out, AlertEvent e) {
        alerts.inc();
        out.collect(e);
    }
}
