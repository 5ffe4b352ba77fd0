package dev.odestream.ode.adjoint;

import dev.odestream.ode.OdeSolverException;

/**
 * The backward pass of a gradient computation failed: the backward solve gave up (its exception is the cause) or the
 * adjoint became NaN or infinite. The message names the segment; {@link #time()} is where the failure was seen.
 */
public final class BackwardPassException extends OdeSolverException {

    private static final long serialVersionUID = 1L;

    /**
     * @param time where the failure was seen
     * @param from the segment's end, where the backward pass over it started
     * @param to the segment's start
     * @param what what went wrong
     * @param cause the backward solver's exception, or {@code null}
     */
    BackwardPassException(double time, double from, double to, String what, Throwable cause) {
        super(time, "Adjoint backward pass from t = " + from + " to " + to + " failed: " + what);
        if (cause != null) {
            initCause(cause);
        }
    }
}
