package dev.odestream.ode;

/** The error control asked for a step below {@code minStep} or below what the time's precision resolves. */
public final class StepSizeUnderflowException extends OdeSolverException {

    private static final long serialVersionUID = 1L;

    /**
     * @param time the time reached
     * @param step the step size that was too small
     */
    public StepSizeUnderflowException(double time, double step) {
        super(time, "Step size underflow (h = " + step + "), the solution may blow up or be stiff");
    }
}
