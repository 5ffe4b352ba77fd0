package dev.odestream.ode;

/** A solver call that could not reach its final time. The message names the time reached. */
public class OdeSolverException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final double time;

    /**
     * @param time the time the solver had reached
     * @param message what went wrong; the time is appended
     */
    public OdeSolverException(double time, String message) {
        super(message + " at t = " + time);
        this.time = time;
    }

    /** @return the time the solver had reached when it gave up. */
    public double time() {
        return time;
    }
}
