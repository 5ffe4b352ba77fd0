package dev.odestream.model.checkpoint;

/** A model checkpoint the engine will not use; the message says why. The model in use stays. */
public final class ModelRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message why, in terms a user can act on */
    public ModelRejectedException(String message) {
        super(message);
    }

    /**
     * @param message why
     * @param cause the failed check
     */
    public ModelRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
