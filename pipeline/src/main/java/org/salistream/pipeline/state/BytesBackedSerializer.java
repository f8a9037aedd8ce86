package org.salistream.pipeline.state;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
    /** Values up to this size are read in one piece. */
    private static final int CHUNK = 16 << 20;

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
        return fromBytes(readBytes(source, n));
    }

    /**
     * Reads {@code n} bytes. A length beyond {@link #CHUNK} is read in chunks, so that a corrupt length
     * fails at the end of the data instead of first allocating up to 2 GiB.
     */
    private static byte[] readBytes(DataInputView source, int n) throws IOException {
        int done = 0;
        try {
            if (n <= CHUNK) {
                byte[] b = new byte[n];
                source.readFully(b);
                return b;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
            byte[] chunk = new byte[CHUNK];
            while (done < n) {
                int k = Math.min(n - done, CHUNK);
                source.readFully(chunk, 0, k);
                out.write(chunk, 0, k);
                done += k;
            }
            return out.toByteArray();
        } catch (EOFException e) {
            EOFException clear = new EOFException("corrupt state: a value of " + n + " bytes is truncated"
                    + (done > 0 ? " after more than " + done + " bytes" : ""));
            clear.initCause(e);
            throw clear;
        }
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int n = source.readInt();
        if (n < 0) {
            throw new IOException("corrupt state: negative length " + n);
        }
        target.writeInt(n);
        target.write(source, n);
    }
}
