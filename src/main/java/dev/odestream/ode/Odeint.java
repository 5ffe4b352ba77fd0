package dev.odestream.ode;

/**
 * The one-call facade in the style of torchdiffeq's {@code odeint(func, y0, t, method, rtol, atol)}: convenient, and
 * allocating its solver and result. Hot loops should hold an {@link OdeSolver} instead.
 */
public final class Odeint {

    private Odeint() {
    }

    /**
     * Solves {@code y' = f(t, y)}, {@code y(t[0]) = y0} and reports the state at every time in {@code t}.
     *
     * @param f the dynamics. Not modified.
     * @param y0 the state at {@code t[0]}. Not modified.
     * @param t times, strictly monotone (increasing or decreasing). Not modified.
     * @param method the integration method; a fixed-step method takes one step per interval of {@code t}
     * @param rtol relative tolerance (adaptive methods)
     * @param atol absolute tolerance (adaptive methods)
     * @return {@code y[i]} at {@code t[i]}, and the counters
     */
    public static OdeResult odeint(OdeSystem f, double[] y0, double[] t, Method method, double rtol, double atol) {
        return odeint(f, y0, t, SolverOptions.of(method, rtol, atol));
    }

    /**
     * As {@link #odeint(OdeSystem, double[], double[], Method, double, double)}, with every option explicit.
     *
     * @param options method, tolerances and step control
     */
    public static OdeResult odeint(OdeSystem f, double[] y0, double[] t, SolverOptions options) {
        if (t.length == 0) {
            throw new IllegalArgumentException("need at least one time");
        }
        OdeSolver solver = new OdeSolver(y0.length, options);
        double[][] y = new double[t.length][y0.length];
        solver.integrate(f, t[0], y0, t, y);
        return new OdeResult(y, solver.stats().snapshot());
    }
}
