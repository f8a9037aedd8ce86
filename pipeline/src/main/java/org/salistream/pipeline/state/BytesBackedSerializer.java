package org.salistream.pipeline.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A Flink serializer for an immutable value that has its own versioned byte form (the model-runtime
 * values {@code MemoryState}, {@code FrameFeatures}): a length-prefixed copy of those bytes. The values are
 * immutable, so {@link #copy} returns them as they are; with the heap state backend a state read or write
 * never serialises, only checkpoints do.
 *
 * @param <T> the value type
 */
abstract class BytesBackedSerializer<T> extends TypeSerializerSingleton<T> {

    private static final long serialVersionUID = 1L;

    /** The value's bytes. */
    protected abstract byte[] toBytes(T value) throws IOException;

    /** The value of some bytes. */
    protected abstract T fromBytes(byte[] bytes) throws IOException;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public T copy(T from, T reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        byte[] b = toBytes(record);
        target.writeInt(b.length);
        target.write(b);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        int n = source.readInt();
        if (n < 0) {
            throw new IOException("corrupt state: negative length " + n);
        }
        byte[] b = new byte[n];
        source.readFully(b);
        return fromBytes(b);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int n = source.readInt();
        target.writeInt(n);
        target.write(source, n);
    }
}
