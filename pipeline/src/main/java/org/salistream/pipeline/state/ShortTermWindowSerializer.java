package org.salistream.pipeline.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.NeighborMode;
import org.salistream.model.stage.ShortTermWindow;

/**
 * Flink serializer of a procedure's short-term window (at most two frames' encoded features): mode, next
 * ordinal, and each held frame's index and features in their own versioned form.
 */
public final class ShortTermWindowSerializer extends BytesBackedSerializer<ShortTermWindow> {

    private static final long serialVersionUID = 1L;

    /** The instance. */
    public static final ShortTermWindowSerializer INSTANCE = new ShortTermWindowSerializer();

    private static final byte VERSION = 1;

    @Override
    protected byte[] toBytes(ShortTermWindow w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) w.byteSize() + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(w.mode().ordinal());
            out.writeLong(w.nextOrdinal());
            writeHeld(out, w.previous());
            writeHeld(out, w.pending());
        }
        return bytes.toByteArray();
    }

    @Override
    protected ShortTermWindow fromBytes(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte v = in.readByte();
            if (v != VERSION) {
                throw new IOException("short-term window state version " + v + " is not supported");
            }
            int m = in.readByte();
            if (m < 0 || m >= NeighborMode.values().length) {
                throw new IOException("corrupt short-term window state: unknown neighbour mode " + m);
            }
            NeighborMode mode = NeighborMode.values()[m];
            long ordinal = in.readLong();
            ShortTermWindow w = ShortTermWindow.of(mode, ordinal, readHeld(in), readHeld(in));
            if (in.available() > 0) {
                throw new IOException("corrupt short-term window state: " + in.available() + " trailing bytes");
            }
            return w;
        }
    }

    private static void writeHeld(DataOutputStream out, ShortTermWindow.Held h) throws IOException {
        out.writeBoolean(h != null);
        if (h != null) {
            out.writeLong(h.index());
            byte[] f = h.features().toBytes();
            out.writeInt(f.length);
            out.write(f);
        }
    }

    private static ShortTermWindow.Held readHeld(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        long index = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("corrupt short-term window state: features of " + n + " bytes with "
                    + in.available() + " left");
        }
        byte[] f = new byte[n];
        in.readFully(f);
        return new ShortTermWindow.Held(index, FrameFeatures.fromBytes(f));
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
