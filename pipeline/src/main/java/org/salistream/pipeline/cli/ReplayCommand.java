package org.salistream.pipeline.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.salistream.datasets.RecordedFrame;
import org.salistream.datasets.RecordedProcedure;
import org.salistream.kafka.FrameProducer;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.LogIds;
import org.salistream.kafka.Pacing;
import org.salistream.kafka.ReplayClient;
import org.salistream.kafka.ReplayFrame;
import org.salistream.kafka.ReplaySummary;
import org.salistream.kafka.TopicSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sali replay}: produces a recorded procedure (a SUN-SEG style folder of frames, or a video file) to
 * the {@code frames} topic with the contract's headers and pacing, then its end-of-procedure record.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Replay a recorded procedure (frame folder or video) to the frames topic.")
public final class ReplayCommand implements Callable<Integer> {

    @Option(
            names = "--input",
            required = true,
            paramLabel = "DIR|VIDEO",
            description = "A SUN-SEG case folder, a folder of frames, or a video file.")
    Path input;

    @Option(names = "--procedure", paramLabel = "ID", description = "Procedure id (default: the input's name).")
    String procedure;

    @Mixin
    JobClientOptions kafka;

    @Option(
            names = "--rate",
            defaultValue = "realtime",
            description = "realtime (at --fps), max, or a speed-up such as 2x (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(
            names = "--fps",
            defaultValue = "25",
            description = "Frame rate of the recording (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(
            names = "--device",
            defaultValue = "replay",
            description = "Scope/device id header (default: ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() throws Exception {
        RecordedProcedure recording = RecordedProcedure.open(input);
        String id = procedure != null ? procedure : recording.id();
        Pacing pacing = Pacing.parse(rate, fps);
        KafkaConnection connection = kafka.connection();
        // The procedure id is shown hashed (LogIds): this console is often a service's log.
        System.err.printf(
                "sali replay: %s as procedure %s (%s frames) to %s at %s%n",
                input,
                LogIds.procedure(id),
                recording.frameCount().isPresent() ? recording.frameCount().getAsInt() : "?",
                connection,
                rate);
        try (FrameProducer producer = new FrameProducer(
                        connection, kafka.topics().frames(), TopicSettings.defaults(), new Properties());
                Stream<RecordedFrame> frames = recording.frames()) {
            ReplaySummary summary = new ReplayClient(producer, device)
                    .replay(id, toReplay(frames.iterator()), pacing, ReplayClient.printingTo(System.err));
            System.err.println("sali replay: " + summary);
        } catch (KafkaException e) {
            // Refused (ACLs, login) or unreachable: the operator's problem, in one line.
            throw new IOException(e.getMessage(), e);
        }
        return 0;
    }

    /** The replay client's view of recorded frames. */
    public static Iterator<ReplayFrame> toReplay(Iterator<RecordedFrame> frames) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return frames.hasNext();
            }

            @Override
            public ReplayFrame next() {
                RecordedFrame f = frames.next();
                return new ReplayFrame(f.index(), f.encoded(), f.contentType(), f.width(), f.height());
            }
        };
    }
}
