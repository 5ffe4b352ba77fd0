package dev.odestream.ode;

/** The call used up its step budget ({@link SolverOptions#maxSteps()}, rejected attempts included). */
public final class MaxStepsExceededException extends OdeSolverException {

    private static final long serialVersionUID = 1L;

    /**
     * @param time the time reached
     * @param maxSteps the budget
     */
    public MaxStepsExceededException(double time, int maxSteps) {
        super(time, "Exceeded maxSteps = " + maxSteps);
    }
}
