package org.salistream.pipeline.operators;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.salistream.kafka.DlqReason;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.SaliStages;
import org.salistream.model.stage.ShortTermWindow;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.SegmentedFrame;
import org.salistream.pipeline.schedule.BatchPolicy;
import org.salistream.pipeline.schedule.BatchRunner;
import org.salistream.pipeline.schedule.FrameBuffer;
import org.salistream.pipeline.state.FrameMeta;
import org.salistream.pipeline.state.MemoryStateSerializer;
import org.salistream.pipeline.state.ProcedureProgress;
import org.salistream.pipeline.state.ShortTermWindowSerializer;

/**
 * The keyed SALI operator, holding the Flink concerns only: per procedure, the short-term window and the
 * memory bank in keyed state as plain values, the progress (order, duplicates, tombstones), idle timers,
 * outputs and metrics. When frames run is {@link FrameBuffer}'s decision, how they run (batched encode,
 * rounds of batched segmentation, faults kept per frame) is {@link BatchRunner}'s.
 *
 * <p>Buffered frames run before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}), so
 * exactly-once holds across restarts. A frame the model fails on goes to the dead letters with
 * {@link DlqReason#MODEL_FAILED}; the job never restarts for it.
 *
 * <p>Clearing rules: at the end of a procedure (or when it is closed after model failures) its window and
 * memory are cleared and a tombstone (its progress, ~100 bytes) is kept until the idle timeout so that a
 * late frame is dead-lettered; a procedure that receives nothing for {@code procedure.idle-timeout} is
 * finished (its waiting frame segmented, an end marker emitted) and all its state cleared. Idle timers are
 * processing-time; after a restore, a timer armed before it gets a full timeout from the restore (the outage
 * was not the procedure's silence, and frames it sent meanwhile are still to be replayed).
 */
public class SaliOperator extends AbstractStreamOperator<SegmentedFrame>
        implements OneInputStreamOperator<FrameEvent, SegmentedFrame>, Triggerable<String, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    /** Frames that go backwards, arrive after their procedure ended, or that the model failed on. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("sali-dlq") {
        private static final long serialVersionUID = 1L;
    };

    /** The procedure's short-term window. */
    public static final ValueStateDescriptor<ShortTermWindow> WINDOW =
            new ValueStateDescriptor<>("short-term-window", ShortTermWindowSerializer.INSTANCE);
    /** The procedure's long-term memory bank. */
    public static final ValueStateDescriptor<MemoryState> MEMORY =
            new ValueStateDescriptor<>("memory-bank", MemoryStateSerializer.INSTANCE);
    /** The procedure's bookkeeping. */
    public static final ValueStateDescriptor<ProcedureProgress> PROGRESS =
            new ValueStateDescriptor<>("progress", TypeInformation.of(ProcedureProgress.class));

    private final PipelineConfig config;
    private final StagesFactory factory;

    private transient SaliStages stages;
    private transient BatchPolicy policy;
    private transient long idleMillis;
    private transient FrameBuffer buffer;
    private transient BatchRunner runner;
    private transient boolean batchTimerSet;
    private transient boolean restored;
    private transient long restoredAt;
    private transient ValueState<ShortTermWindow> window;
    private transient ValueState<MemoryState> memory;
    private transient ValueState<ProcedureProgress> progress;
    private transient InternalTimerService<VoidNamespace> idleTimers;
    private transient SaliMetrics metrics;
    private transient BatchRunner.States states;
    private transient RunnerResults results;

    /** An operator running the model that {@code factory} opens, with the job's configuration. */
    public SaliOperator(PipelineConfig config, StagesFactory factory) {
        this.config = config;
        this.factory = factory;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restored = context.isRestored();
    }

    @Override
    public void open() throws Exception {
        super.open();
        policy = BatchPolicy.of(config);
        idleMillis = config.idleTimeout().toMillis();
        String framesTopic = config.get("kafka.topics.frames");
        stages = factory.open(config);
        runner = new BatchRunner(stages, policy);
        buffer = new FrameBuffer(policy);
        window = getPartitionedState(WINDOW);
        memory = getPartitionedState(MEMORY);
        progress = getPartitionedState(PROGRESS);
        idleTimers = getInternalTimerService("procedure-idle", VoidNamespaceSerializer.INSTANCE, this);
        metrics = new SaliMetrics(getMetricGroup(), () -> buffer.size());
        states = new KeyedStates();
        results = new RunnerResults(output, metrics, framesTopic);
        restoredAt = restored ? getProcessingTimeService().getCurrentProcessingTime() : -1;
        if (restored) {
            countRestoredProcedures();
        }
    }

    /** The open-procedure and memory gauges after a restore (or a rescale): one pass over this subtask's keys. */
    private void countRestoredProcedures() throws Exception {
        List<String> keys = new ArrayList<>();
        try (var stream = getKeyedStateBackend().<VoidNamespace>getKeys(PROGRESS.getName(), VoidNamespace.INSTANCE)) {
            stream.forEach(k -> keys.add((String) k));
        }
        for (String k : keys) {
            setCurrentKey(k);
            ProcedureProgress p = progress.value();
            MemoryState m = memory.value();
            if (p != null && !p.ended) {
                metrics.procedureOpened();
                metrics.memoryChanged(m == null ? 0 : m.byteSize());
            }
        }
    }

    @Override
    public void processElement(StreamRecord<FrameEvent> record) throws Exception {
        FrameEvent e = record.getValue();
        ProcedureProgress p = progress.value();
        if (p != null && p.ended) {
            String after = p.closedReason != null
                    ? "the procedure was closed (" + p.closedReason + ")"
                    : e.isEnd() ? "a second end-of-procedure for this procedure" : "the end-of-procedure";
            deadLetter(
                    e,
                    DlqReason.AFTER_END_OF_PROCEDURE,
                    (e.isEnd() ? "end-of-procedure" : "frame " + e.frameIndex) + " arrived after " + after);
            return;
        }
        if (e.isEnd()) {
            if (p == null) {
                deadLetter(
                        e,
                        DlqReason.AFTER_END_OF_PROCEDURE,
                        "end-of-procedure for a procedure with no open state (unknown, idle-closed or already ended)");
                return;
            }
            p.ended = true;
            progress.update(p);
            buffer.add(e, now());
            flush();
            return;
        }
        if (p == null) {
            p = new ProcedureProgress();
            metrics.procedureOpened();
        } else if (e.frameIndex <= p.lastIndex) {
            if (p.seenRecently(e.frameIndex)) {
                p.duplicates++;
                progress.update(p);
                metrics.duplicate();
                return;
            }
            deadLetter(
                    e,
                    DlqReason.OUT_OF_ORDER,
                    "frame index " + e.frameIndex + " is not greater than the last one, " + p.lastIndex);
            return;
        }
        p.accept(new FrameMeta(
                e.frameIndex,
                e.captureMicros,
                e.deviceId,
                e.width,
                e.height,
                e.source == null ? -1 : e.source.partition,
                e.source == null ? -1 : e.source.offset));
        resetIdleTimer(p);
        progress.update(p);
        if (buffer.add(e, now())) {
            flush();
        } else if (!batchTimerSet) {
            batchTimerSet = true;
            getProcessingTimeService().registerTimer(buffer.deadline(), t -> onBatchDeadline());
        }
    }

    private long now() {
        return getProcessingTimeService().getCurrentProcessingTime();
    }

    private void onBatchDeadline() throws Exception {
        batchTimerSet = false;
        if (buffer.isEmpty()) {
            return;
        }
        if (buffer.deadline() <= now()) {
            flush();
        } else {
            batchTimerSet = true; // the batch that set this timer ran early; this one's deadline is later
            getProcessingTimeService().registerTimer(buffer.deadline(), t -> onBatchDeadline());
        }
    }

    private void resetIdleTimer(ProcedureProgress p) {
        armIdleTimer(p, idleTimers.currentProcessingTime() + idleMillis);
    }

    private void armIdleTimer(ProcedureProgress p, long deadline) {
        if (p.idleDeadline >= 0) {
            idleTimers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, p.idleDeadline);
        }
        p.idleDeadline = deadline;
        idleTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, deadline);
    }

    /** Runs every buffered event. */
    private void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        Object keyBefore = getCurrentKey();
        runner.run(buffer.drain(), states, results);
        if (keyBefore != null) {
            setCurrentKey(keyBefore);
        }
    }

    /** The idle timer of a procedure. */
    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        String key = timer.getKey();
        flush();
        setCurrentKey(key);
        ProcedureProgress p = progress.value();
        if (p == null || p.idleDeadline != timer.getTimestamp()) {
            return; // superseded
        }
        if (restoredAt >= 0 && timer.getTimestamp() < restoredAt + idleMillis) {
            armIdleTimer(p, restoredAt + idleMillis); // armed before the restore: a full timeout from the restore
            progress.update(p);
            return;
        }
        if (!p.ended) {
            runner.run(List.of(FrameEvent.endOf(key, p.lastIndex)), states, results);
            setCurrentKey(key);
        }
        progress.clear();
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        // event time is not used
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (stages != null) {
                stages.close();
            }
        } finally {
            super.close();
        }
    }

    private void deadLetter(FrameEvent e, DlqReason reason, String message) {
        results.deadLetter(DeadLetter.of(e.source, reason, message));
    }

    /** Keyed state as the runner sees it. */
    private final class KeyedStates implements BatchRunner.States {
        @Override
        public BatchRunner.Work load(String key) {
            try {
                setCurrentKey(key);
                ShortTermWindow w = window.value();
                MemoryState m = memory.value();
                return new BatchRunner.Work(
                        w != null ? w : ShortTermWindow.start(stages.config().neighbor()),
                        m != null ? m : MemoryState.empty(),
                        progress.value());
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the state of a procedure", e);
            }
        }

        @Override
        public void store(String key, BatchRunner.Work w) {
            try {
                setCurrentKey(key);
                MemoryState before = memory.value();
                long delta = -(before == null ? 0 : before.byteSize());
                if (w.closed()) {
                    window.clear();
                    memory.clear();
                    w.progress().tombstone();
                    metrics.procedureClosed();
                } else {
                    window.update(w.window());
                    memory.update(w.memory());
                    delta += w.memory().byteSize();
                }
                progress.update(w.progress()); // a tombstone until the idle timer when closed
                metrics.memoryChanged(delta);
            } catch (Exception e) {
                throw new IllegalStateException("cannot write the state of a procedure", e);
            }
        }
    }
}
