package dev.odestream.ode;

/** A scalar function of the state whose sign changes mark an event, as located by {@link Trajectory#firstCrossing}. */
@FunctionalInterface
public interface EventFunction {

    /**
     * @param t time. Not modified.
     * @param y state. Not modified.
     * @return the event function's value; an event is a zero crossing in time.
     */
    double value(double t, double[] y);
}
