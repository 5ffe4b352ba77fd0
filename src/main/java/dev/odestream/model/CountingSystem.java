package dev.odestream.model;

import dev.odestream.ode.ParametricOdeSystem;

/**
 * Counts the evaluations an adjoint pass makes of a system: one per call of {@code derivatives}, {@code vjp} or
 * {@code derivativesAndVjp}, whatever the mode does with them. The adjoint solver's own counters answer with a new
 * record per query; this wrapper keeps the backward pass allocation-free. Delegates everything else.
 */
final class CountingSystem implements ParametricOdeSystem {

    private final ParametricOdeSystem f;
    private long evaluations;

    CountingSystem(ParametricOdeSystem f) {
        this.f = f;
    }

    @Override
    public int dimension() {
        return f.dimension();
    }

    @Override
    public int parameterCount() {
        return f.parameterCount();
    }

    @Override
    public void derivatives(double t, double[] y, double[] yDot) {
        evaluations++;
        f.derivatives(t, y, yDot);
    }

    @Override
    public double vjp(double t, double[] y, double[] a, double[] aDfDy, double[] aDfDTheta) {
        evaluations++;
        return f.vjp(t, y, a, aDfDy, aDfDTheta);
    }

    @Override
    public double derivativesAndVjp(double t, double[] y, double[] a, double[] yDot, double[] aDfDy,
                                    double[] aDfDTheta) {
        evaluations++;
        return f.derivativesAndVjp(t, y, a, yDot, aDfDy, aDfDTheta);
    }

    /** @return evaluations since construction. */
    long evaluations() {
        return evaluations;
    }
}
