package org.salistream.pipeline.job;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.salistream.kafka.AlertEvent;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.MaskFrame;
import org.salistream.pipeline.events.RawFrame;
import org.salistream.pipeline.events.SegmentedFrame;
import org.salistream.pipeline.operators.AlertFunction;
import org.salistream.pipeline.operators.FaultInjector;
import org.salistream.pipeline.operators.FrameDecodeFunction;
import org.salistream.pipeline.operators.MaskBuilder;
import org.salistream.pipeline.operators.SaliOperator;
import org.salistream.pipeline.operators.StagesFactory;

/**
 * The segmentation job, built from parts: a source of raw frame records, the sinks, the model factory and
 * the configuration.
 *
 * <pre>
 * frames -> decode (dead letters) -> keyBy(procedure) -> SALI (dead letters) -> mask -> masks
 *                                                                               \-> alerts (keyed)
 * </pre>
 *
 * The SALI operator keeps each procedure's short-term window and memory bank in heap keyed state; the mask
 * stage runs in a task of its own (a new chain, same partitioning), and the alert stage follows it on the
 * same partitioning (no second shuffle).
 */
public final class SegmentationJob {

    /**
     * Where checkpoints go when {@code checkpoint.dir} is empty: a folder under {@code java.io.tmpdir} of
     * this machine (enough for a local run or the MiniCluster; a cluster sets {@code checkpoint.dir}).
     */
    public static final Path LOCAL_CHECKPOINT_DIR =
            Path.of(System.getProperty("java.io.tmpdir"), "sali-checkpoints");

    private final Source<RawFrame, ?, ?> source;
    private final JobSinks sinks;
    private final PipelineConfig config;
    private final StagesFactory model;
    private final String modelVersion;

    /**
     * @param source raw records of the frames topic
     * @param sinks where masks, alerts and dead letters go
     * @param config the job's configuration
     * @param model opens the network in each SALI subtask
     * @param modelVersion written into every mask envelope (e.g. the weights' digest)
     */
    public SegmentationJob(Source<RawFrame, ?, ?> source, JobSinks sinks, PipelineConfig config,
            StagesFactory model, String modelVersion) {
        this.source = source;
        this.sinks = sinks;
        this.config = config;
        this.model = model;
        this.modelVersion = modelVersion;
    }

    /**
     * The Flink settings the job needs: heap (HashMap) state backend, exactly-once checkpoints at the
     * configured interval into a folder, no Kryo fallback for our types, a fixed-delay restart strategy.
     *
     * <p>Checkpoints always go to a folder: {@code checkpoint.dir}, or {@link #LOCAL_CHECKPOINT_DIR} when
     * none is configured. Flink's in-memory (JobManager) checkpoint storage refuses any subtask state over
     * 5 MiB, and one procedure's SALI-B5 memory bank at 352 alone is about 7.5 MiB.
     */
    public static Configuration flinkConfiguration(PipelineConfig config) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        Path dir = config.checkpointDir() != null ? config.checkpointDir() : LOCAL_CHECKPOINT_DIR;
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toAbsolutePath().toUri().toString());
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.NAME, config.get("job.name"));
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        return c;
    }

    /** Adds the job to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(config.parallelism());

        DataStream<RawFrame> raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), "frames")
                .uid("frames-source");
        SingleOutputStreamOperator<FrameEvent> decoded = raw
                .process(new FrameDecodeFunction(config.model().size(), config.maxFrameBytes()),
                        TypeInformation.of(FrameEvent.class))
                .name("decode").uid("decode");
        DataStream<FrameEvent> frames = decoded;
        if (config.failOnceAfterFrames() > 0) {
            frames = decoded.map(new FaultInjector(config.failOnceAfterFrames()), TypeInformation.of(FrameEvent.class))
                    .name("fault-injector").uid("fault-injector");
        }
        KeyedStream<FrameEvent, String> byProcedure = frames.keyBy(e -> e.procedureId, TypeInformation.of(String.class));
        SingleOutputStreamOperator<SegmentedFrame> segmented = byProcedure
                .transform("sali", TypeInformation.of(SegmentedFrame.class), new SaliOperator(config, model))
                .uid("sali");
        SingleOutputStreamOperator<MaskFrame> masks = segmented
                .map(new MaskBuilder(config.modelId(), modelVersion, config.maskThreshold(), config.maskMinArea()),
                        TypeInformation.of(MaskFrame.class))
                .name("mask").uid("mask")
                // Off the model's thread: resizing the logits, PNG encoding and finding regions (~10 ms a frame
                // at 384x320) run in their own task while the SALI operator starts on the next batch.
                .startNewChain();
        SingleOutputStreamOperator<AlertEvent> alerts = DataStreamUtils
                .reinterpretAsKeyedStream(masks, m -> m.procedureId, TypeInformation.of(String.class))
                .process(new AlertFunction(config.hysteresis()), TypeInformation.of(AlertEvent.class))
                .name("alerts").uid("alerts");

        masks.sinkTo(sinks.masks()).name("masks-sink").uid("masks-sink");
        alerts.sinkTo(sinks.alerts()).name("alerts-sink").uid("alerts-sink");
        decoded.getSideOutput(FrameDecodeFunction.DEAD_LETTERS)
                .union(segmented.getSideOutput(SaliOperator.DEAD_LETTERS))
                .sinkTo(sinks.deadLetters()).name("dlq-sink").uid("dlq-sink");
    }
}
