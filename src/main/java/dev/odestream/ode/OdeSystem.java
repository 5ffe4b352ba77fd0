package dev.odestream.ode;

/**
 * A first-order system of ordinary differential equations {@code dy/dt = f(t, y)}.
 *
 * <p>A batch of independent series is one longer state vector: series {@code b} of dimension {@code d} occupies
 * {@code y[b*d .. b*d+d)}. Solvers treat the batch as one system, so step-size control sees the RMS error over the
 * whole batch (one shared step sequence for all series).
 */
public interface OdeSystem {

    /** @return the length of the state vector. */
    int dimension();

    /**
     * Evaluates the derivative. Implementations must not allocate: solvers call this on their hot path.
     *
     * @param t time. Not modified.
     * @param y state, length {@link #dimension()}. Not modified.
     * @param yDot receives {@code f(t, y)}. Modified.
     */
    void derivatives(double t, double[] y, double[] yDot);
}
