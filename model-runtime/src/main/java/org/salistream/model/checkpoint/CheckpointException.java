package org.salistream.model.checkpoint;

import java.io.IOException;

/**
 * A checkpoint that cannot be read or does not fit the model: not a zip, a truncated zip, a legacy
 * (pre-1.6) {@code torch.save} file, a missing {@code data.pkl} or storage entry, a storage too short for
 * the tensor viewing it, a corrupt pickle, an unsupported opcode, a global outside the allow-list, or a
 * state dict whose keys and shapes do not match the model.
 *
 * <p>It is an {@link IOException} because every cause lies in the file, so callers that already handle
 * I/O failures handle it too; the reader wraps every lower-level failure in one, so that nothing else
 * escapes it. The message always names the file (where one is involved) and what to do.
 */
public class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message that says what is wrong and, where possible, what to do. */
    public CheckpointException(String message) {
        super(message);
    }

    /** A failure caused by a lower-level one (kept as the cause). */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
