package org.salistream.pipeline.operators;

import java.io.IOException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.common.errors.SerializationException;
import org.salistream.kafka.DlqReason;
import org.salistream.kafka.FrameHeaders;
import org.salistream.kafka.HeaderParse;
import org.salistream.kafka.ProcedureIdSerde;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.ImageSize;
import org.salistream.model.image.PilResize;
import org.salistream.model.image.RgbImage;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.RawFrame;

/**
 * The decode stage, before the stream is keyed by procedure: checks key and headers against the wire
 * contract, enforces the byte limit, reads the image's declared size from its header and checks it against
 * the contract's limits, the pixel limit and the size headers <em>before</em> decoding (a PNG bomb is refused
 * unread), decodes the image, and resizes it to the model size with Pillow's bilinear filter (the published
 * preprocessing). Anything wrong, including an unexpected exception, goes to the dead-letter side output
 * with a reason; nothing else is affected.
 */
public class FrameDecodeFunction extends ProcessFunction<RawFrame, FrameEvent> {

    private static final long serialVersionUID = 1L;

    /** Records that cannot be processed. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("frames-dlq") {
        private static final long serialVersionUID = 1L;
    };

    private final int modelSize;
    private final int maxFrameBytes;
    private final long maxFramePixels;
    private transient Counter frames;
    private transient Counter ends;
    private transient Counter deadLetters;

    /**
     * A decode stage for a model of size {@code modelSize} accepting frames up to {@code maxFrameBytes} and
     * {@code maxFramePixels}.
     */
    public FrameDecodeFunction(int modelSize, int maxFrameBytes, long maxFramePixels) {
        this.modelSize = modelSize;
        this.maxFrameBytes = maxFrameBytes;
        this.maxFramePixels = maxFramePixels;
    }

    @Override
    public void open(OpenContext ctx) {
        frames = getRuntimeContext().getMetricGroup().counter("framesDecoded");
        ends = getRuntimeContext().getMetricGroup().counter("endsOfProcedure");
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawFrame raw, Context ctx, Collector<FrameEvent> out) {
        FrameEvent e;
        try {
            e = decode(raw, ctx);
        } catch (RuntimeException ex) {
            // A decoder bug or a case nobody thought of: this record only, never the job.
            reject(
                    ctx,
                    raw,
                    DlqReason.PROCESSING_FAILED,
                    "decoding failed: " + ex.getClass().getSimpleName()
                            + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
            return;
        }
        if (e != null) {
            // Outside the try: in a chain, collect() runs the next operators, whose failures are not this record's.
            out.collect(e);
        }
    }

    /** The decoded event, or null when the record was dead-lettered. */
    private FrameEvent decode(RawFrame raw, Context ctx) {
        String procedure;
        try {
            procedure = ProcedureIdSerde.decode(raw.key);
        } catch (SerializationException e) {
            reject(ctx, raw, raw.key == null ? DlqReason.MISSING_KEY : DlqReason.INVALID_KEY, e.getMessage());
            return null;
        }
        HeaderParse parse = FrameHeaders.parse(raw.headers());
        if (parse.isProblem()) {
            reject(ctx, raw, parse.dlqReason(), parse.message());
            return null;
        }
        FrameEvent e = new FrameEvent();
        e.procedureId = procedure;
        e.source = raw;
        e.receivedMicros = nowMicros();
        if (parse.isEndOfProcedure()) {
            e.kind = FrameEvent.Kind.END;
            e.frameIndex = parse.lastIndex();
            e.deviceId = "";
            e.modelRgb = new byte[0];
            count(ends);
            return e;
        }
        FrameHeaders h = parse.frame();
        if (raw.value.length > maxFrameBytes) {
            reject(
                    ctx,
                    raw,
                    DlqReason.OVERSIZED,
                    "frame of " + raw.value.length + " bytes exceeds the limit of " + maxFrameBytes
                            + " (procedure.max-frame-bytes)");
            return null;
        }
        if (raw.value.length == 0) {
            reject(
                    ctx,
                    raw,
                    DlqReason.UNDECODABLE_IMAGE,
                    "the value is empty; a frame record carries a " + h.contentType()
                            + " image (only the end-of-procedure record has an empty value)");
            return null;
        }
        String actualType = sniff(raw.value);
        if (actualType == null || !actualType.equals(h.contentType())) {
            reject(
                    ctx,
                    raw,
                    DlqReason.UNDECODABLE_IMAGE,
                    "declared " + h.contentType() + " but the bytes are "
                            + (actualType == null ? "neither JPEG nor PNG" : actualType));
            return null;
        }
        String name = "frame " + h.frameIndex() + " of " + procedure;
        ImageSize declared;
        try {
            declared = ImageSize.read(raw.value, name);
        } catch (IOException ex) {
            reject(ctx, raw, DlqReason.UNDECODABLE_IMAGE, ex.getMessage());
            return null;
        }
        if (declared.width() > FrameHeaders.MAX_DIMENSION
                || declared.height() > FrameHeaders.MAX_DIMENSION
                || declared.pixels() > maxFramePixels) {
            reject(
                    ctx,
                    raw,
                    DlqReason.OVERSIZED,
                    "the image header declares " + declared.width() + "x" + declared.height()
                            + " pixels, over the limit of " + maxFramePixels
                            + " pixels (procedure.max-frame-pixels) or "
                            + FrameHeaders.MAX_DIMENSION + " per side; not decoded");
            return null;
        }
        if (declared.width() != h.width() || declared.height() != h.height()) {
            reject(
                    ctx,
                    raw,
                    DlqReason.SIZE_MISMATCH,
                    "the image header declares " + declared.width() + "x" + declared.height()
                            + " but the record headers say " + h.width() + "x" + h.height() + "; not decoded");
            return null;
        }
        RgbImage img;
        try {
            img = FrameDecoder.decode(raw.value, name);
        } catch (IOException ex) {
            reject(ctx, raw, DlqReason.UNDECODABLE_IMAGE, ex.getMessage());
            return null;
        }
        if (img.width() != h.width() || img.height() != h.height()) {
            reject(
                    ctx,
                    raw,
                    DlqReason.SIZE_MISMATCH,
                    "decoded " + img.width() + "x" + img.height() + " but the headers say " + h.width() + "x"
                            + h.height());
            return null;
        }
        e.kind = FrameEvent.Kind.FRAME;
        e.frameIndex = h.frameIndex();
        e.captureMicros = h.captureMicros();
        e.deviceId = h.deviceId();
        e.width = h.width();
        e.height = h.height();
        e.modelRgb = PilResize.resize(img, modelSize, modelSize).rgb();
        count(frames);
        return e;
    }

    /** The content type the bytes really are, from their signature. */
    static String sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return FrameHeaders.JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return FrameHeaders.PNG;
        }
        return null;
    }

    private void reject(Context ctx, RawFrame raw, DlqReason reason, String message) {
        count(deadLetters);
        ctx.output(DEAD_LETTERS, DeadLetter.of(raw, reason, message));
    }

    private static void count(Counter c) {
        if (c != null) {
            c.inc();
        }
    }

    static long nowMicros() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
