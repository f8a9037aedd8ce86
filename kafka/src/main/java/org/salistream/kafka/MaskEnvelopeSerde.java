package org.salistream.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.salistream.codec.CorruptFormatException;
import org.salistream.codec.FormatReader;
import org.salistream.codec.FormatWriter;

/**
 * The binary value format of the {@code masks} topic, version 1 (big-endian; layout in kafka/README.md):
 *
 * <pre>
 * magic 'S','M','S','K' | u8 version=1 | u16 n + procedure id (UTF-8) | i64 frame index | i64 capture us
 * | i64 emit us | u16 n + model id | u16 n + model version | i32 width | i32 height | f32 max probability
 * | f32 threshold | i64 area | u16 box count | boxes: (i32 x, i32 y, i32 w, i32 h, f32 score) each
 * | i32 n + mask PNG
 * </pre>
 *
 * <p>Binary rather than JSON because the value is mostly a PNG, which JSON would have to carry in base64
 * (a third larger, and a decode step) at frame rate; the fixed layout reads in any language (Python:
 * {@code struct.unpack_from('>4sB', v)} and so on). Decoding is strict: wrong magic or version, a length
 * running past the end, trailing bytes or an invalid field are {@link SerializationException}s saying which.
 *
 * <p>Written and read with the shared codec (org.salistream.codec), whose header (4-byte magic, u8 version) and
 * big-endian fields are exactly version 1's: the codec changed no byte of this format, so it stays version 1
 * and consumers outside the project need no change (MaskEnvelopeFormatTest pins the first release's bytes).
 *
 * <p>As a {@link Deserializer} it returns null for a null value and for the end-of-procedure marker
 * (a record with the {@value HeaderNames#END_OF_PROCEDURE} header), which the pipeline forwards to
 * {@code masks} after a procedure's last mask.
 */
public final class MaskEnvelopeSerde implements Serializer<MaskEnvelope>, Deserializer<MaskEnvelope> {

    /** The first four bytes of every mask value. */
    public static final byte[] MAGIC = {'S', 'M', 'S', 'K'};
    /** The format version this class writes and reads. */
    public static final int VERSION = 1;

    private static final int BOX_BYTES = 20;

    /** Encodes one envelope. */
    public static byte[] encode(MaskEnvelope m) {
        byte[] pid = m.procedureId().getBytes(StandardCharsets.UTF_8);
        byte[] model = m.modelId().getBytes(StandardCharsets.UTF_8);
        byte[] version = m.modelVersion().getBytes(StandardCharsets.UTF_8);
        byte[] png = m.maskPngUnsafe();
        int size = 4
                + 1
                + 2
                + pid.length
                + 8 * 3
                + 2
                + model.length
                + 2
                + version.length
                + 4 * 2
                + 4 * 2
                + 8
                + 2
                + BOX_BYTES * m.boxes().size()
                + 4
                + png.length;
        FormatWriter w = FormatWriter.start(MAGIC, VERSION, size)
                .shortText(m.procedureId())
                .i64(m.frameIndex())
                .i64(m.captureMicros())
                .i64(m.emitMicros())
                .shortText(m.modelId())
                .shortText(m.modelVersion())
                .i32(m.width())
                .i32(m.height())
                .f32(m.maxProbability())
                .f32(m.threshold())
                .i64(m.area())
                .u16(m.boxes().size());
        for (BoundingBox box : m.boxes()) {
            w.i32(box.x()).i32(box.y()).i32(box.w()).i32(box.h()).f32(box.score());
        }
        return w.blob(png).toByteArray();
    }

    /** Decodes one envelope, strictly. */
    public static MaskEnvelope decode(byte[] value) {
        if (value == null) {
            throw new SerializationException("the mask value is null");
        }
        try {
            FormatReader r = FormatReader.of("mask envelope", value);
            r.header(MAGIC, VERSION, VERSION);
            String pid = text(r, "procedure id");
            long frameIndex = r.i64("frame index");
            long capture = r.i64("capture time");
            long emit = r.i64("emit time");
            String modelId = text(r, "model id");
            String modelVersion = text(r, "model version");
            int width = r.i32("width");
            int height = r.i32("height");
            float maxProbability = r.f32("max probability");
            float threshold = r.f32("threshold");
            long area = r.i64("area");
            int boxCount = r.u16("box count");
            if ((long) boxCount * BOX_BYTES > r.remaining()) {
                throw r.corrupt("declares " + boxCount + " boxes but has only " + r.remaining() + " bytes left");
            }
            List<BoundingBox> boxes = new ArrayList<>(boxCount);
            for (int i = 0; i < boxCount; i++) {
                boxes.add(new BoundingBox(
                        r.i32("box x"), r.i32("box y"), r.i32("box w"), r.i32("box h"), r.f32("box score")));
            }
            byte[] png = r.blob("mask PNG");
            r.end();
            return new MaskEnvelope(
                    pid,
                    frameIndex,
                    capture,
                    emit,
                    modelId,
                    modelVersion,
                    width,
                    height,
                    maxProbability,
                    area,
                    threshold,
                    boxes,
                    png);
        } catch (CorruptFormatException e) {
            throw new SerializationException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new SerializationException("mask envelope holds an invalid field: " + e.getMessage());
        }
    }

    /** Text by the codec's bounds, then the header rules of the contract (no control characters). */
    private static String text(FormatReader r, String what) {
        byte[] bytes = r.bytes(what, r.u16(what + " length"));
        try {
            return HeaderCodec.parseText(what, bytes, 65535);
        } catch (HeaderCodec.BadHeader e) {
            throw new SerializationException("mask envelope's " + what + " is invalid: " + HeaderCodec.quote(bytes));
        }
    }

    @Override
    public byte[] serialize(String topic, MaskEnvelope mask) {
        return mask == null ? null : encode(mask);
    }

    @Override
    public MaskEnvelope deserialize(String topic, byte[] value) {
        return value == null ? null : decode(value);
    }

    @Override
    public MaskEnvelope deserialize(String topic, Headers headers, byte[] value) {
        if (headers != null && FrameHeaders.isEndOfProcedure(headers)) {
            return null;
        }
        return deserialize(topic, value);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing to release
    }
}
