package org.salistream.live.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.ProcedureIdSerde;
import org.salistream.kafka.SaliTopics;
import org.salistream.kafka.TopicSettings;
import org.salistream.live.DropOldestQueue;
import org.salistream.live.KafkaReachability;
import org.salistream.live.TerminalProgress;
import org.salistream.live.ingest.Backoff;
import org.salistream.live.ingest.CaptureLoop;
import org.salistream.live.ingest.CropSpec;
import org.salistream.live.ingest.CropTracker;
import org.salistream.live.ingest.FfmpegCapabilities;
import org.salistream.live.ingest.FfmpegSource;
import org.salistream.live.ingest.FrameSender;
import org.salistream.live.ingest.IngestStats;
import org.salistream.live.ingest.PendingFrame;
import org.salistream.live.ingest.SourceSpec;
import org.salistream.live.ingest.VideoSource;
import org.salistream.model.cli.CommandErrors;
import org.salistream.pipeline.cli.JobClientOptions;
import org.salistream.pipeline.config.PipelineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali ingest}: a live video source to the {@code frames} topic, what a hospital video gateway
 * runs next to the endoscope. Checks everything it can before the first record (the source opens and gives
 * a picture, the crop fits, Kafka answers and has the topic), so that bad input is one line and nothing is
 * half-written; then captures and sends on two threads joined by a small drop-oldest queue, and ends the
 * procedure after the last frame on SIGTERM, Ctrl-C, {@code --max-frames} or the end of a file.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Send a live video source (network stream, V4L2 device or file) to the frames topic as one procedure.",
            "",
            "Sources this build reads (FFmpeg " + IngestCommand.FFMPEG_VERSION
                    + " bundled with JavaCV): rtsp:// and rtsps://"
                    + " (--transport tcp|udp), srt:// (caller or ?mode=listener), udp:// and rtp:// (MPEG-TS), tcp://"
                    + " (MPEG-TS; ?listen=1 to accept a push), http(s)://, V4L2 capture devices /dev/videoN, video files.",
            "A network source or device that drops is reopened with capped exponential back-off; frame indices keep"
                    + " increasing and skip the frames lost meanwhile. SIGTERM or Ctrl-C ends the procedure after the last frame."
        },
        sortOptions = false)
public final class IngestCommand implements Callable<Integer> {

    /** The FFmpeg version bundled with JavaCV (the pom's {@code ffmpeg.version}); the help text names it. */
    static final String FFMPEG_VERSION = "8.1.2";

    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "URL|/dev/videoN|FILE", description = "The video source.")
    String source;

    @Option(names = "--procedure", required = true, paramLabel = "ID", description = "Procedure id (the record key).")
    String procedure;

    @Option(
            names = "--device",
            required = true,
            paramLabel = "ID",
            description = "Endoscope or gateway id (sali.device header).")
    String device;

    @Mixin
    JobClientOptions kafka;

    @Option(
            names = "--fps",
            paramLabel = "N",
            defaultValue = "0",
            description = "Capture at most N frames per second (default: every frame the source gives).")
    double fps;

    @Option(
            names = "--crop",
            paramLabel = "auto|none|X,Y,W,H",
            defaultValue = "auto",
            description =
                    "Send the endoscope's visible field only (auto, followed when it changes), whole frames (none),"
                            + " or a fixed region in pixels (default: ${DEFAULT-VALUE}).")
    String crop;

    @Option(
            names = "--jpeg-quality",
            paramLabel = "Q",
            defaultValue = "90",
            description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
    int jpegQuality;

    @Option(
            names = "--max-frames",
            paramLabel = "N",
            defaultValue = "0",
            description = "End the procedure after N frames (default: no limit).")
    long maxFrames;

    @Option(names = "--realtime", description = "Pace a file at its frame rate (default: as fast as Kafka takes it).")
    boolean realtime;

    @Option(
            names = "--transport",
            paramLabel = "tcp|udp",
            defaultValue = "tcp",
            description = "RTSP transport (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(
            names = "--io-timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "A source that gives nothing this long counts as dropped (default: ${DEFAULT-VALUE}).")
    String ioTimeout;

    @Option(
            names = "--reconnect-max",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "Longest wait between two attempts to reopen a dropped source (default: ${DEFAULT-VALUE}).")
    String reconnectMax;

    @Option(
            names = "--give-up-after",
            paramLabel = "DURATION",
            defaultValue = "10m",
            description =
                    "End the procedure when the source stays away this long; 0 never (default: ${DEFAULT-VALUE}).")
    String giveUpAfter;

    @Option(
            names = "--queue",
            paramLabel = "N",
            defaultValue = "8",
            description =
                    "Frames waiting for Kafka at most; when full the oldest is dropped (default: ${DEFAULT-VALUE}).")
    int queueCapacity;

    @Option(
            names = "--kafka-timeout",
            paramLabel = "DURATION",
            defaultValue = "15s",
            description = "How long Kafka may take to answer the start-up check (default: ${DEFAULT-VALUE}).")
    String kafkaTimeout;

    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        try {
            return CommandErrors.run("sali ingest", spec.commandLine().getErr(), this::ingest);
        } finally {
            finished.countDown();
        }
    }

    private int ingest() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        // 1. Everything that can be checked without opening anything.
        ProcedureIdSerde.require(procedure);
        new FrameHeaders(0, 0, device, FrameHeaders.JPEG, 1, 1); // the device id header's rules
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("--jpeg-quality must be within 1..100, got " + jpegQuality);
        }
        if (fps < 0 || fps > 240 || maxFrames < 0 || queueCapacity < 1) {
            throw new IllegalArgumentException("--fps must be within 0..240, --max-frames >= 0 and --queue >= 1");
        }
        CropSpec cropSpec = CropSpec.parse(crop);
        Duration io = duration("--io-timeout", ioTimeout);
        Duration giveUp = duration("--give-up-after", giveUpAfter);
        Backoff backoff =
                new Backoff(Duration.ofMillis(250), duration("--reconnect-max", reconnectMax), System.nanoTime());
        SourceSpec sourceSpec = SourceSpec.parse(source, rtspTransport(), io, FfmpegCapabilities.detect());
        PipelineConfig config = kafka.config();
        SaliTopics topics = config.topics();

        // 2. The source opens and gives a picture that the crop fits.
        VideoSource video = new FfmpegSource(sourceSpec);
        try {
            video.open();
            VideoSource.Captured first = video.grab();
            if (first == null) {
                throw new IOException(sourceSpec.redacted() + " gave no picture");
            }
            cropSpec.requireFits(first.image().width(), first.image().height());

            // 3. Kafka answers and has the frames topic; only then is anything written.
            KafkaReachability.require(
                    kafka.connection(), List.of(topics.frames()), duration("--kafka-timeout", kafkaTimeout));
            err.printf(
                    "sali ingest: %s (%dx%d%s) to %s on %s, crop %s%n",
                    sourceSpec,
                    first.image().width(),
                    first.image().height(),
                    Double.isNaN(video.frameRate())
                            ? ""
                            : String.format(java.util.Locale.ROOT, " at %.3g fps", video.frameRate()),
                    topics.frames().name(),
                    kafka.bootstrap(),
                    cropSpec);
            err.flush();
            return run(video, sourceSpec, cropSpec, topics, config, first, backoff, giveUp);
        } finally {
            video.close();
        }
    }

    private int run(
            VideoSource video,
            SourceSpec sourceSpec,
            CropSpec cropSpec,
            SaliTopics topics,
            PipelineConfig config,
            VideoSource.Captured first,
            Backoff backoff,
            Duration giveUp)
            throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        IngestStats stats = new IngestStats();
        DropOldestQueue<PendingFrame> queue = new DropOldestQueue<>(queueCapacity);
        stats.watch(queue);
        Properties overrides = new Properties();
        overrides.put("client.id", "sali-ingest");
        // A send that cannot even be buffered (no metadata: the broker is unreachable) gives up after 10 s, so that
        // the end of a procedure is not held for the producer's default minute.
        overrides.put("max.block.ms", "10000");
        TopicSettings settings = TopicSettings.defaults().withMaxFrameBytes(config.maxFrameBytes());
        CropTracker cropTracker = new CropTracker(cropSpec, 25, 3, line -> err.println("sali ingest: " + line));
        CaptureLoop loop = new CaptureLoop(
                video,
                sourceSpec,
                cropTracker,
                queue,
                stats,
                new CaptureLoop.Settings(fps, maxFrames, realtime, backoff, giveUp));
        Thread hook = new Thread(
                () -> {
                    loop.stop();
                    try {
                        finished.await(
                                60, TimeUnit.SECONDS); // the procedure's end record goes out before the JVM exits
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "sali-ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CaptureLoop.End end;
        FrameSender sender;
        try (FrameProducer producer = new FrameProducer(kafka.connection(), topics.frames(), settings, overrides);
                TerminalProgress progress = TerminalProgress.start(stats::progressLine, 500)) {
            sender = new FrameSender(queue, producer, procedure, device, jpegQuality, 16, stats);
            Thread sending = new Thread(sender, "sali-ingest-sender");
            sending.start();
            try {
                end = loop.run(first);
            } finally {
                queue.close();
                sending.join();
            }
        } finally {
            removeHook(hook);
        }
        err.println("sali ingest: " + describe(end) + "; " + stats.summary() + "; end of procedure after frame "
                + sender.lastSentIndex() + (sender.endAcknowledged() ? "" : " NOT acknowledged"));
        if (stats.failed() > 0 || !sender.endAcknowledged()) {
            err.println("sali ingest: " + stats.failed() + " records could not be delivered to Kafka (first: "
                    + stats.firstFailure() + ")");
            return 4;
        }
        return end == CaptureLoop.End.GAVE_UP ? 3 : 0;
    }

    private static String describe(CaptureLoop.End end) {
        return switch (end) {
            case END_OF_FILE -> "end of the file";
            case MAX_FRAMES -> "--max-frames reached";
            case STOPPED -> "stopped";
            case GAVE_UP -> "the source stayed away, gave up";
        };
    }

    private SourceSpec.RtspTransport rtspTransport() {
        return switch (transport.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "tcp" -> SourceSpec.RtspTransport.TCP;
            case "udp" -> SourceSpec.RtspTransport.UDP;
            default -> throw new IllegalArgumentException("--transport must be tcp or udp, got '" + transport + "'");
        };
    }

    private static Duration duration(String option, String value) {
        return PipelineConfig.parseDuration(option, value);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down (SIGTERM): the hook is running and waits for this command to finish
        }
    }
}
