package dev.odestream.ode;

/** The state or error estimate became NaN or infinite and shrinking the step did not cure it. */
public final class NonFiniteStateException extends OdeSolverException {

    private static final long serialVersionUID = 1L;

    /** @param time the time reached (the start of the failing step) */
    public NonFiniteStateException(double time) {
        super(time, "Non-finite state or derivative (NaN or infinity)");
    }
}
