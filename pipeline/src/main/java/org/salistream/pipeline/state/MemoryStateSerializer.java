package org.salistream.pipeline.state;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.salistream.model.memory.MemoryState;

/**
 * Flink serializer of a procedure's SALI memory bank: its own compact versioned form
 * ({@link MemoryState#toBytes}); used only when a checkpoint is written or restored.
 */
public final class MemoryStateSerializer extends BytesBackedSerializer<MemoryState> {

    private static final long serialVersionUID = 1L;

    /** The instance. */
    public static final MemoryStateSerializer INSTANCE = new MemoryStateSerializer();

    @Override
    protected byte[] toBytes(MemoryState value) {
        return value.toBytes();
    }

    @Override
    protected MemoryState fromBytes(byte[] bytes) {
        return MemoryState.fromBytes(bytes);
    }

    @Override
    public MemoryState createInstance() {
        return MemoryState.empty();
    }

    @Override
    public TypeSerializerSnapshot<MemoryState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot for checkpoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MemoryState> {
        /** For Flink. */
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
