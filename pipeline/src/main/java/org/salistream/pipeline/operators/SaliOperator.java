package org.salistream.pipeline.operators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
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
import org.salistream.kafka.LogIds;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.FramePolicy;
import org.salistream.model.stage.SaliStages;
import org.salistream.model.stage.SegmentRequest;
import org.salistream.model.stage.SegmentResult;
import org.salistream.model.stage.ShortTermWindow;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.SegmentedFrame;
import org.salistream.pipeline.state.FrameMeta;
import org.salistream.pipeline.state.MemoryStateSerializer;
import org.salistream.pipeline.state.ProcedureProgress;
import org.salistream.pipeline.state.ShortTermWindowSerializer;

/**
 * The keyed SALI operator: per procedure, the short-term window (the encoded frames still waiting for
 * their neighbour) and SALI's long-term memory bank live in keyed state as plain values; frames of
 * different procedures are gathered into micro-batches (up to {@code batch.max-size}, at most
 * {@code batch.max-wait}) and run through the network together, then each procedure's state is updated.
 *
 * <p>A procedure's frames are segmented in order with the same calls and the same numbers as
 * {@code sali segment} offline ({@link org.salistream.model.stage.ProcedureRunner}); batching only groups
 * independent procedures. Buffered frames are processed before every checkpoint barrier
 * ({@link #prepareSnapshotPreBarrier}), so exactly-once holds across restarts.
 *
 * <p>Clearing rules: at the end of a procedure its window and memory are cleared and a tombstone (its
 * progress, ~100 bytes) is kept until the idle timeout so that a late frame is dead-lettered; a procedure
 * that receives nothing for {@code procedure.idle-timeout} is finished (its waiting frame segmented, an end
 * marker emitted) and all its state cleared.
 */
public class SaliOperator extends AbstractStreamOperator<SegmentedFrame>
        implements OneInputStreamOperator<FrameEvent, SegmentedFrame>, Triggerable<String, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    /** Frames that go backwards or arrive after their procedure ended. */
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
    private transient ValueState<ShortTermWindow> window;
    private transient ValueState<MemoryState> memory;
    private transient ValueState<ProcedureProgress> progress;
    private transient InternalTimerService<VoidNamespace> idleTimers;
    private transient List<FrameEvent> buffer;
    private transient boolean flushScheduled;
    private transient Counter duplicates;
    private transient Counter deadLetters;
    private transient Meter framesPerSecond;
    private transient Histogram batchSizes;
    private transient Histogram modelMillis;
    private transient long lastMemoryFrames;
    private transient long lastMemoryBytes;

    /** An operator running the model that {@code factory} opens, with the job's configuration. */
    public SaliOperator(PipelineConfig config, StagesFactory factory) {
        this.config = config;
        this.factory = factory;
    }

    @Override
    public void open() throws Exception {
        super.open();
        stages = factory.open(config);
        window = getPartitionedState(WINDOW);
        memory = getPartitionedState(MEMORY);
        progress = getPartitionedState(PROGRESS);
        idleTimers = getInternalTimerService("procedure-idle", VoidNamespaceSerializer.INSTANCE, this);
        buffer = new ArrayList<>();
        var group = getMetricGroup();
        duplicates = group.counter("duplicateFramesDropped");
        deadLetters = group.counter("deadLetters");
        framesPerSecond = group.meter("framesPerSecond", new MeterView(group.counter("framesSegmented"), 10));
        batchSizes = group.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        modelMillis = group.histogram("modelMillisPerBatch", new DescriptiveStatisticsHistogram(1000));
        group.gauge("memoryBankFrames", () -> lastMemoryFrames);
        group.gauge("memoryBankBytes", () -> lastMemoryBytes);
        group.gauge("bufferedFrames", () -> buffer.size());
    }

    @Override
    public void processElement(StreamRecord<FrameEvent> record) throws Exception {
        FrameEvent e = record.getValue();
        ProcedureProgress p = progress.value();
        if (e.isEnd()) {
            if (p == null || p.ended) {
                deadLetter(e, DlqReason.AFTER_END_OF_PROCEDURE, p == null
                        ? "end-of-procedure for a procedure with no open state (unknown, idle-closed or already ended)"
                        : "a second end-of-procedure for this procedure");
                return;
            }
            p.ended = true;
            progress.update(p);
            buffer.add(e);
            flush();
            return;
        }
        if (p != null && p.ended) {
            deadLetter(e, DlqReason.AFTER_END_OF_PROCEDURE, "frame " + e.frameIndex + " arrived after the end-of-procedure");
            return;
        }
        if (p == null) {
            p = new ProcedureProgress();
        } else if (e.frameIndex <= p.lastIndex) {
            if (p.seenRecently(e.frameIndex)) {
                duplicates.inc();
                return;
            }
            deadLetter(e, DlqReason.OUT_OF_ORDER, "frame index " + e.frameIndex + " is not greater than the last one, "
                    + p.lastIndex);
            return;
        }
        p.accept(new FrameMeta(e.frameIndex, e.captureMicros, e.deviceId, e.width, e.height));
        resetIdleTimer(p);
        progress.update(p);
        buffer.add(e);
        if (buffer.size() >= config.batchMaxSize()) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            long at = getProcessingTimeService().getCurrentProcessingTime() + config.batchMaxWait().toMillis();
            getProcessingTimeService().registerTimer(at, t -> flush());
        }
    }

    private void resetIdleTimer(ProcedureProgress p) {
        if (p.idleDeadline >= 0) {
            idleTimers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, p.idleDeadline);
        }
        p.idleDeadline = idleTimers.currentProcessingTime() + config.idleTimeout().toMillis();
        idleTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, p.idleDeadline);
    }

    /** A procedure's pending work within one flush. */
    private static final class Pending {
        final List<ShortTermWindow.Ready> ready = new ArrayList<>();
        ShortTermWindow window;
        MemoryState memory;
        ProcedureProgress progress;
        boolean ended;
        int next;
    }

    /** Runs every buffered frame: batched encode, then rounds of batched segmentation across procedures. */
    private void flush() throws Exception {
        flushScheduled = false;
        if (buffer.isEmpty()) {
            return;
        }
        List<FrameEvent> events = buffer;
        buffer = new ArrayList<>();
        Object keyBefore = getCurrentKey();
        List<FrameEvent> frames = events.stream().filter(ev -> !ev.isEnd()).toList();
        List<FrameFeatures> features = encode(frames);
        Map<String, Pending> byKey = new LinkedHashMap<>();
        int f = 0;
        for (FrameEvent ev : events) {
            Pending pd = byKey.computeIfAbsent(ev.procedureId, k -> load(k));
            ShortTermWindow.Step step = ev.isEnd() ? pd.window.finish() : pd.window.accept(ev.frameIndex, features.get(f++));
            pd.window = step.window();
            pd.ready.addAll(step.ready());
            pd.ended |= ev.isEnd();
        }
        segmentInRounds(byKey);
        for (Map.Entry<String, Pending> en : byKey.entrySet()) {
            store(en.getKey(), en.getValue());
        }
        if (keyBefore != null) {
            setCurrentKey(keyBefore);
        }
    }

    private List<FrameFeatures> encode(List<FrameEvent> frames) {
        List<FrameFeatures> out = new ArrayList<>(frames.size());
        int s = stages.config().size();
        for (int i = 0; i < frames.size(); i += config.batchMaxSize()) {
            List<RgbImage> batch = new ArrayList<>();
            for (FrameEvent ev : frames.subList(i, Math.min(frames.size(), i + config.batchMaxSize()))) {
                batch.add(new RgbImage(s, s, ev.modelRgb));
            }
            long t0 = System.nanoTime();
            out.addAll(stages.encode(batch));
            modelMillis.update((System.nanoTime() - t0) / 1_000_000);
        }
        return out;
    }

    private Pending load(String key) {
        try {
            setCurrentKey(key);
            Pending pd = new Pending();
            ShortTermWindow w = window.value();
            pd.window = w != null ? w : ShortTermWindow.start(stages.config().neighbor());
            MemoryState m = memory.value();
            pd.memory = m != null ? m : MemoryState.empty();
            pd.progress = progress.value();
            return pd;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the state of procedure " + LogIds.procedure(key), e);
        }
    }

    /** Segments the ready frames: round r takes each procedure's r-th frame, so procedures batch together. */
    private void segmentInRounds(Map<String, Pending> byKey) {
        while (true) {
            List<Map.Entry<String, Pending>> round = new ArrayList<>();
            for (Map.Entry<String, Pending> en : byKey.entrySet()) {
                if (en.getValue().next < en.getValue().ready.size()) {
                    round.add(en);
                }
            }
            if (round.isEmpty()) {
                return;
            }
            for (int i = 0; i < round.size(); i += config.batchMaxSize()) {
                List<Map.Entry<String, Pending>> batch = round.subList(i, Math.min(round.size(), i + config.batchMaxSize()));
                List<SegmentRequest> requests = new ArrayList<>(batch.size());
                for (Map.Entry<String, Pending> en : batch) {
                    Pending pd = en.getValue();
                    ShortTermWindow.Ready r = pd.ready.get(pd.next);
                    requests.add(new SegmentRequest(r.current(), r.neighbour(), pd.memory,
                            FramePolicy.forOrdinal(r.ordinal(), stages.config().memFreq())));
                }
                long t0 = System.nanoTime();
                List<SegmentResult> results = stages.segment(requests);
                modelMillis.update((System.nanoTime() - t0) / 1_000_000);
                batchSizes.update(batch.size());
                for (int j = 0; j < batch.size(); j++) {
                    Pending pd = batch.get(j).getValue();
                    ShortTermWindow.Ready r = pd.ready.get(pd.next++);
                    pd.memory = results.get(j).memory();
                    emit(batch.get(j).getKey(), pd, r, results.get(j), batch.size());
                }
            }
        }
    }

    private void emit(String key, Pending pd, ShortTermWindow.Ready r, SegmentResult result, int batchSize) {
        FrameMeta meta = pd.progress.take(r.index());
        SegmentedFrame s = new SegmentedFrame();
        s.kind = FrameEvent.Kind.FRAME;
        s.procedureId = key;
        s.frameIndex = meta.index;
        s.captureMicros = meta.captureMicros;
        s.deviceId = meta.deviceId;
        s.width = meta.width;
        s.height = meta.height;
        s.size = result.size();
        s.logits = result.logits();
        s.memoryFrames = result.memory().frames();
        s.batchSize = batchSize;
        lastMemoryFrames = s.memoryFrames;
        lastMemoryBytes = result.memory().byteSize();
        framesPerSecond.markEvent();
        output.collect(new StreamRecord<>(s));
    }

    private void store(String key, Pending pd) throws Exception {
        setCurrentKey(key);
        if (pd.ended) {
            window.clear();
            memory.clear();
            pd.progress.held = new FrameMeta[0];
            progress.update(pd.progress); // tombstone until the idle timer
            output.collect(new StreamRecord<>(SegmentedFrame.end(key, pd.progress.lastIndex)));
        } else {
            window.update(pd.window);
            memory.update(pd.memory);
            progress.update(pd.progress);
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
        if (p.ended) {
            progress.clear();
            return;
        }
        Pending pd = load(key);
        ShortTermWindow.Step step = pd.window.finish();
        pd.window = step.window();
        pd.ready.addAll(step.ready());
        pd.ended = true;
        Map<String, Pending> one = new LinkedHashMap<>();
        one.put(key, pd);
        segmentInRounds(one);
        store(key, pd);
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
        deadLetters.inc();
        output.collect(DEAD_LETTERS, new StreamRecord<>(DeadLetter.of(e.source, reason, message)));
    }
}
