package dev.odestream.ode;

/**
 * Dynamics {@code f(t, y; theta)} with parameters {@code theta} that expose vector-Jacobian products, which is what
 * the adjoint method needs. The parameters themselves live wherever the implementation keeps them (for the neural
 * layers, a view into one flat array); this interface only fixes their count and order.
 */
public interface ParametricOdeSystem extends OdeSystem {

    /** @return the number of parameters {@code theta}. */
    int parameterCount();

    /**
     * Vector-Jacobian products at {@code (t, y)}. Must not allocate.
     *
     * @param t time. Not modified.
     * @param y state. Not modified.
     * @param a the vector, length {@link #dimension()}. Not modified.
     * @param aDfDy receives {@code a^T df/dy}, length {@link #dimension()}. Modified (overwritten).
     * @param aDfDTheta receives {@code a^T df/dtheta}, length {@link #parameterCount()}. Modified (overwritten).
     * @return {@code a^T df/dt}; zero for autonomous dynamics.
     */
    double vjp(double t, double[] y, double[] a, double[] aDfDy, double[] aDfDTheta);

    /**
     * The derivative and the vector-Jacobian products in one call. Implementations whose forward pass is shared
     * between the two (neural dynamics) should override this to evaluate it once.
     *
     * @param yDot receives {@code f(t, y)}. Modified.
     * @return {@code a^T df/dt}.
     * @see #vjp
     */
    default double derivativesAndVjp(double t, double[] y, double[] a, double[] yDot, double[] aDfDy,
                                     double[] aDfDTheta) {
        derivatives(t, y, yDot);
        return vjp(t, y, a, aDfDy, aDfDTheta);
    }
}
