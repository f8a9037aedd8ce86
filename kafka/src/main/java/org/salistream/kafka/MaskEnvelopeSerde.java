package org.salistream.kafka;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

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
        int size = 4 + 1 + 2 + pid.length + 8 * 3 + 2 + model.length + 2 + version.length + 4 * 2 + 4 * 2 + 8
                + 2 + BOX_BYTES * m.boxes().size() + 4 + png.length;
        ByteBuffer b = ByteBuffer.allocate(size); // big-endian by default
        b.put(MAGIC).put((byte) VERSION);
        putShortString(b, pid);
        b.putLong(m.frameIndex()).putLong(m.captureMicros()).putLong(m.emitMicros());
        putShortString(b, model);
        putShortString(b, version);
        b.putInt(m.width()).putInt(m.height()).putFloat(m.maxProbability()).putFloat(m.threshold()).putLong(m.area());
        b.putShort((short) m.boxes().size());
        for (BoundingBox box : m.boxes()) {
            b.putInt(box.x()).putInt(box.y()).putInt(box.w()).putInt(box.h()).putFloat(box.score());
        }
        b.putInt(png.length).put(png);
        return b.array();
    }

    /** Decodes one envelope, strictly. */
    public static MaskEnvelope decode(byte[] value) {
        if (value == null) {
            throw new SerializationException("the mask value is null");
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new SerializationException("not a mask envelope: starts with " + HeaderCodec.quote(magic) + ", expected 'SMSK'");
            }
            int version = b.get() & 0xFF;
            if (version != VERSION) {
                throw new SerializationException("mask envelope version " + version + " is not supported (this reader knows " + VERSION + ")");
            }
            String pid = getShortString(b, "procedure id");
            long frameIndex = b.getLong();
            long capture = b.getLong();
            long emit = b.getLong();
            String modelId = getShortString(b, "model id");
            String modelVersion = getShortString(b, "model version");
            int width = b.getInt();
            int height = b.getInt();
            float maxProbability = b.getFloat();
            float threshold = b.getFloat();
            long area = b.getLong();
            int boxCount = b.getShort() & 0xFFFF;
            if ((long) boxCount * BOX_BYTES > b.remaining()) {
                throw new SerializationException("mask envelope declares " + boxCount + " boxes but has only " + b.remaining() + " bytes left");
            }
            List<BoundingBox> boxes = new ArrayList<>(boxCount);
            for (int i = 0; i < boxCount; i++) {
                boxes.add(new BoundingBox(b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getFloat()));
            }
            int pngLength = b.getInt();
            if (pngLength < 0 || pngLength > b.remaining()) {
                throw new SerializationException("mask envelope declares a " + pngLength + "-byte PNG but has " + b.remaining() + " bytes left");
            }
            byte[] png = new byte[pngLength];
            b.get(png);
            if (b.hasRemaining()) {
                throw new SerializationException("mask envelope has " + b.remaining() + " unexpected trailing bytes");
            }
            return new MaskEnvelope(pid, frameIndex, capture, emit, modelId, modelVersion, width, height,
                    maxProbability, area, threshold, boxes, png);
        } catch (BufferUnderflowException e) {
            throw new SerializationException("mask envelope truncated: " + value.length + " bytes end inside a field");
        } catch (IllegalArgumentException e) {
            throw new SerializationException("mask envelope holds an invalid field: " + e.getMessage());
        }
    }

    private static void putShortString(ByteBuffer b, byte[] utf8) {
        b.putShort((short) utf8.length).put(utf8);
    }

    private static String getShortString(ByteBuffer b, String what) {
        int n = b.getShort() & 0xFFFF;
        if (n > b.remaining()) {
            throw new SerializationException("mask envelope's " + what + " declares " + n + " bytes but " + b.remaining() + " are left");
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
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
