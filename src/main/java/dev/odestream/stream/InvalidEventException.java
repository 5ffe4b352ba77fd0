package dev.odestream.stream;

/** An input record that cannot become an {@link Event} for the engine's model; the reason routes it. */
public final class InvalidEventException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    /**
     * @param reason the category, which becomes the dead-letter reason header
     * @param detail what exactly is wrong, naming the field, for the detail header
     */
    public InvalidEventException(RejectReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    /** @return the category. */
    public RejectReason reason() {
        return reason;
    }
}
