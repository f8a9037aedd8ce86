package org.salistream.pipeline.state;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.salistream.codec.FormatReader;
import org.salistream.codec.FormatWriter;
import org.salistream.model.NeighborMode;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.ShortTermWindow;

/**
 * Flink serializer of a procedure's short-term window (at most two frames' encoded features), written with
 * the shared codec: magic {@code SALW}, u8 version 2, u8 neighbour mode code, i64 next ordinal, then per held
 * frame (previous, pending) a boolean, i64 index and the features' own bytes with an i32 length.
 *
 * <p>Version 1, which the first release checkpointed, had no magic: a version byte 1, the mode's ordinal
 * (equal to its code), the same fields big-endian and features in their version 1 form. Both are read, so
 * that a checkpoint of that release restores.
 */
public final class ShortTermWindowSerializer extends BytesBackedSerializer<ShortTermWindow> {

    private static final long serialVersionUID = 1L;

    /** The instance. */
    public static final ShortTermWindowSerializer INSTANCE = new ShortTermWindowSerializer();

    private static final String FORMAT = "short-term window state";
    private static final byte[] MAGIC = {'S', 'A', 'L', 'W'};
    private static final int VERSION = 2;

    @Override
    protected byte[] toBytes(ShortTermWindow w) {
        FormatWriter out = FormatWriter.start(MAGIC, VERSION, (int) w.byteSize() + 64)
                .code(w.mode())
                .i64(w.nextOrdinal());
        writeHeld(out, w.previous());
        writeHeld(out, w.pending());
        return out.toByteArray();
    }

    @Override
    protected ShortTermWindow fromBytes(byte[] bytes) {
        FormatReader in = FormatReader.of(FORMAT, bytes);
        if (FormatReader.startsWith(bytes, MAGIC)) {
            in.header(MAGIC, 2, VERSION);
        } else {
            int v = in.u8("version"); // version 1: a bare version byte, then the same fields
            if (v != 1) {
                throw in.corrupt(
                        "version " + v + " is not supported (this build reads versions 1 and " + VERSION + ")");
            }
        }
        NeighborMode mode = in.code("neighbour mode", NeighborMode.class);
        long ordinal = in.i64("next ordinal");
        ShortTermWindow w = ShortTermWindow.of(mode, ordinal, readHeld(in, "previous"), readHeld(in, "pending"));
        in.end();
        return w;
    }

    private static void writeHeld(FormatWriter out, ShortTermWindow.Held h) {
        out.bool(h != null);
        if (h != null) {
            out.i64(h.index()).blob(h.features().toBytes());
        }
    }

    private static ShortTermWindow.Held readHeld(FormatReader in, String which) {
        if (!in.bool(which + " frame present")) {
            return null;
        }
        long index = in.i64(which + " frame index");
        return new ShortTermWindow.Held(index, FrameFeatures.fromBytes(in.blob(which + " frame features")));
    }

    @Override
    public ShortTermWindow createInstance() {
        return ShortTermWindow.start(NeighborMode.NEXT);
    }

    @Override
    public TypeSerializerSnapshot<ShortTermWindow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot for checkpoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ShortTermWindow> {
        /** For Flink. */
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
