package dev.odestream.ode.adjoint;

import dev.odestream.ode.OdeSystem;
import dev.odestream.ode.ParametricOdeSystem;

/**
 * The adjoint's augmented system over {@code z = [y, a, g]} with {@code n + n + p} components:
 * {@code y' = f}, {@code a' = -a^T df/dy}, {@code g' = -a^T df/dtheta}. Integrated from {@code t1} back to
 * {@code t0} with {@code g(t1) = 0}, {@code g(t0)} is {@code int_{t0}^{t1} a^T df/dtheta dt}, the segment's share of
 * {@code dL/dtheta}; the same holds when time runs the other way, so no sign depends on the direction.
 *
 * <p>One {@link ParametricOdeSystem#derivativesAndVjp} call per evaluation. Allocation-free; not thread-safe.
 */
final class AugmentedDynamics implements OdeSystem {

    private final ParametricOdeSystem f;
    private final int n;
    private final int p;
    private final double[] y;
    private final double[] a;
    private final double[] yDot;
    private final double[] aDfDy;
    private final double[] aDfDTheta;

    AugmentedDynamics(ParametricOdeSystem f) {
        this.f = f;
        this.n = f.dimension();
        this.p = f.parameterCount();
        this.y = new double[n];
        this.a = new double[n];
        this.yDot = new double[n];
        this.aDfDy = new double[n];
        this.aDfDTheta = new double[p];
    }

    @Override
    public int dimension() {
        return 2 * n + p;
    }

    @Override
    public void derivatives(double t, double[] z, double[] zDot) {
        System.arraycopy(z, 0, y, 0, n);
        System.arraycopy(z, n, a, 0, n);
        f.derivativesAndVjp(t, y, a, yDot, aDfDy, aDfDTheta);
        System.arraycopy(yDot, 0, zDot, 0, n);
        for (int k = 0; k < n; k++) {
            zDot[n + k] = -aDfDy[k];
        }
        for (int k = 0; k < p; k++) {
            zDot[2 * n + k] = -aDfDTheta[k];
        }
    }

    /** @return the index of the first {@code dL/dtheta} component, where the error seminorm stops. */
    int parameterOffset() {
        return 2 * n;
    }
}
