package dev.odestream.model.checkpoint;

/** A well-formed checkpoint that was built for a different architecture than the model that would load it. */
public class IncompatibleCheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message lists the differences. */
    public IncompatibleCheckpointException(String message) {
        super(message);
    }
}
