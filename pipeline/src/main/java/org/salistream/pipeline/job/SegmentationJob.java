package org.salistream.pipeline.job;

import java.nio.file.Path;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
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
import org.salistream.pipeline.operators.FrameDecodeFunction;
import org.salistream.pipeline.operators.MaskBuilder;
import org.salistream.pipeline.operators.SaliOperator;
import org.salistream.pipeline.operators.StagesFactory;

/**
 * The segmentation job, built from parts: a source of raw frame records, the sinks, the model factory and
 * the configuration.
 *
 * <pre>
 * frames -> decode (dead letters) -> keyBy(procedure) -> SALI (dead letters) -> mask (dead letters) -> masks
 *                                                                                               \-> alerts (keyed)
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
    public static final Path LOCAL_CHECKPOINT_DIR = Path.of(System.getProperty("java.io.tmpdir"), "sali-checkpoints");

    private final Source<RawFrame, ?, ?> source;
    private final JobSinks sinks;
    private final PipelineConfig config;
    private final StagesFactory model;
    private final String modelVersion;
    private final MapFunction<FrameEvent, FrameEvent> frameTap;

    /**
     * @param source raw records of the frames topic
     * @param sinks where masks, alerts and dead letters go
     * @param config the job's configuration
     * @param model opens the network in each SALI subtask
     * @param modelVersion written into every mask envelope (e.g. the weights' digest)
     */
    public SegmentationJob(
            Source<RawFrame, ?, ?> source,
            JobSinks sinks,
            PipelineConfig config,
            StagesFactory model,
            String modelVersion) {
        this(source, sinks, config, model, modelVersion, null);
    }

    private SegmentationJob(
            Source<RawFrame, ?, ?> source,
            JobSinks sinks,
            PipelineConfig config,
            StagesFactory model,
            String modelVersion,
            MapFunction<FrameEvent, FrameEvent> frameTap) {
        this.source = source;
        this.sinks = sinks;
        this.config = config;
        this.model = model;
        this.modelVersion = modelVersion;
        this.frameTap = frameTap;
    }

    /** The production job of a configuration: Kafka source and transactional sinks, the configured model. */
    public static SegmentationJob kafka(PipelineConfig config) throws java.io.IOException {
        return new SegmentationJob(
                JobSources.kafka(config),
                JobSinks.kafka(config),
                config,
                new ModelStages(),
                JobLauncher.modelVersion(config.weights()));
    }

    /** The same job with another model factory (tests: a model that fails on chosen frames). */
    public SegmentationJob withModel(StagesFactory other) {
        return new SegmentationJob(source, sinks, config, other, modelVersion, frameTap);
    }

    /**
     * The same job with a function between the decode stage and the keyed SALI operator (tests and recovery
     * drills: a fault injector). The production job has none.
     */
    public SegmentationJob withFrameTap(MapFunction<FrameEvent, FrameEvent> tap) {
        return new SegmentationJob(source, sinks, config, model, modelVersion, tap);
    }

    /**
     * The Flink settings the job needs: the configured state backend (heap objects by default; RocksDB with
     * incremental checkpoints), exactly-once checkpoints at the configured interval into a folder, kept when
     * the job is cancelled or fails (so that {@code sali run} resumes from them), the max parallelism fixed
     * (so that state rescales), no Kryo fallback for our types, and Flink's exponential-delay restart
     * strategy whose delay resets after a stable run (a poison frame never reaches it: faults in a frame are
     * dead-lettered).
     *
     * <p>Checkpoints always go to a folder: {@code checkpoint.dir} (a path, or a URI such as
     * {@code s3://bucket/checkpoints} on a cluster with that file system), or {@link #LOCAL_CHECKPOINT_DIR} when
     * none is configured. Flink's in-memory (JobManager) checkpoint storage refuses any subtask state over
     * 5 MiB, and one procedure's SALI-B5 memory bank at 352 alone is about 7.5 MiB.
     */
    public static Configuration flinkConfiguration(PipelineConfig config) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
        c.set(
                CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
                config.stateBackend().equals("rocksdb"));
        c.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        c.set(PipelineOptions.MAX_PARALLELISM, config.maxParallelism());
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        String dir = config.checkpointUri() != null
                ? config.checkpointUri()
                : LOCAL_CHECKPOINT_DIR.toAbsolutePath().toUri().toString();
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.NAME, config.get("job.name"));
        c.set(RestartStrategyOptions.RESTART_STRATEGY, config.restartStrategy());
        if (config.restartStrategy().equals("exponential-delay")) {
            c.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                    config.restartInitialBackoff());
            c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, config.restartMaxBackoff());
            c.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                    config.restartResetAfter());
            c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
            c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        }
        return c;
    }

    /** Adds the job to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(config.parallelism());
        env.setMaxParallelism(config.maxParallelism());

        DataStream<RawFrame> raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), "frames")
                .uid("frames-source");
        SingleOutputStreamOperator<FrameEvent> decoded = raw.process(
                        new FrameDecodeFunction(config.model().size(), config.maxFrameBytes(), config.maxFramePixels()),
                        TypeInformation.of(FrameEvent.class))
                .name("decode")
                .uid("decode");
        DataStream<FrameEvent> frames = decoded;
        if (frameTap != null) {
            frames = decoded.map(frameTap, TypeInformation.of(FrameEvent.class))
                    .name("frame-tap")
                    .uid("frame-tap");
        }
        KeyedStream<FrameEvent, String> byProcedure =
                frames.keyBy(e -> e.procedureId, TypeInformation.of(String.class));
        SingleOutputStreamOperator<SegmentedFrame> segmented = byProcedure
                .transform("sali", TypeInformation.of(SegmentedFrame.class), new SaliOperator(config, model))
                .uid("sali");
        SingleOutputStreamOperator<MaskFrame> masks = segmented
                .process(
                        new MaskBuilder(
                                config.modelId(),
                                modelVersion,
                                config.maskThreshold(),
                                config.maskMinArea(),
                                config.get("kafka.topics.frames")),
                        TypeInformation.of(MaskFrame.class))
                .name("mask")
                .uid("mask")
                // Off the model's thread: resizing the logits, PNG encoding and finding regions (~10 ms a frame
                // at 384x320) run in their own task while the SALI operator starts on the next batch.
                .startNewChain();
        SingleOutputStreamOperator<AlertEvent> alerts = DataStreamUtils.reinterpretAsKeyedStream(
                        masks, m -> m.procedureId, TypeInformation.of(String.class))
                .process(new AlertFunction(config.hysteresis()), TypeInformation.of(AlertEvent.class))
                .name("alerts")
                .uid("alerts");

        masks.sinkTo(sinks.masks()).name("masks-sink").uid("masks-sink");
        alerts.sinkTo(sinks.alerts()).name("alerts-sink").uid("alerts-sink");
        decoded.getSideOutput(FrameDecodeFunction.DEAD_LETTERS)
                .union(
                        segmented.getSideOutput(SaliOperator.DEAD_LETTERS),
                        masks.getSideOutput(MaskBuilder.DEAD_LETTERS))
                .sinkTo(sinks.deadLetters())
                .name("dlq-sink")
                .uid("dlq-sink");
    }
}
