package org.salistream.pipeline.state;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.salistream.model.memory.MemoryState;

/**
 * {@link MemoryStateSerializer} counting its (de)serialisations in static counters (Flink duplicates
 * serializers), so that a test can tell whether a state access serialised the memory bank.
 */
public final class CountingMemorySerializer extends TypeSerializerSingleton<MemoryState> {

    private static final long serialVersionUID = 1L;
    static final CountingMemorySerializer INSTANCE = new CountingMemorySerializer();
    static final AtomicLong SERIALIZED = new AtomicLong();
    static final AtomicLong DESERIALIZED = new AtomicLong();

    static void reset() {
        SERIALIZED.set(0);
        DESERIALIZED.set(0);
    }

    @Override
    public boolean isImmutableType() {
        return MemoryStateSerializer.INSTANCE.isImmutableType();
    }

    @Override
    public MemoryState createInstance() {
        return MemoryStateSerializer.INSTANCE.createInstance();
    }

    @Override
    public MemoryState copy(MemoryState from) {
        return MemoryStateSerializer.INSTANCE.copy(from);
    }

    @Override
    public MemoryState copy(MemoryState from, MemoryState reuse) {
        return MemoryStateSerializer.INSTANCE.copy(from, reuse);
    }

    @Override
    public int getLength() {
        return MemoryStateSerializer.INSTANCE.getLength();
    }

    @Override
    public void serialize(MemoryState record, DataOutputView target) throws IOException {
        SERIALIZED.incrementAndGet();
        MemoryStateSerializer.INSTANCE.serialize(record, target);
    }

    @Override
    public MemoryState deserialize(DataInputView source) throws IOException {
        DESERIALIZED.incrementAndGet();
        return MemoryStateSerializer.INSTANCE.deserialize(source);
    }

    @Override
    public MemoryState deserialize(MemoryState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        MemoryStateSerializer.INSTANCE.copy(source, target);
    }

    @Override
    public TypeSerializerSnapshot<MemoryState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot, for the restore. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MemoryState> {
        /** For Flink. */
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
