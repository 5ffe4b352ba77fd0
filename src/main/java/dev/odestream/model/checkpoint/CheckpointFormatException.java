package dev.odestream.model.checkpoint;

import java.io.IOException;

/**
 * Bytes that are not a valid checkpoint: wrong magic, unsupported format version, truncated, failed checksum, or
 * content that breaks a {@link Checkpoint} invariant. The message says which.
 */
public class CheckpointFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, in terms a user can act on. */
    public CheckpointFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong.
     * @param cause the violated invariant.
     */
    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
