package org.salistream.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a {@link StateDict} as {@code torch.save} would ({@link PthWriter}: zip container, one storage per
 * tensor, in the state dict's order), for tests outside this package that need a checkpoint the golden
 * data lacks: keys removed or added, values changed.
 */
public final class PthFiles {

    private PthFiles() {}

    /** Writes {@code sd} to {@code file} and returns the file. */
    public static Path write(StateDict sd, Path file) throws IOException {
        PthWriter w = new PthWriter("archive");
        int i = 0;
        for (Map.Entry<String, TensorData> e : sd) {
            String storage = Integer.toString(i++);
            TensorData t = e.getValue();
            ByteBuffer b = t.buffer();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            w.storage(storage, t.dtype(), bytes).tensor(e.getKey(), storage, t.shape());
        }
        return w.write(file);
    }
}
