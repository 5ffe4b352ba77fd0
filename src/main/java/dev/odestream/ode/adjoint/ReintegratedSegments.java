package dev.odestream.ode.adjoint;

import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.OdeSolverException;
import dev.odestream.ode.ParametricOdeSystem;
import dev.odestream.ode.SolverOptions;

import java.util.Arrays;

/**
 * Algorithm 1 of Chen et al. (2018) over one segment: {@code [y, a, dL/dtheta]} integrated from {@code t1} back to
 * {@code t0} by an ordinary {@link OdeSolver}, starting from the stored {@code y(t1)}. The {@code dL/dtheta} part is
 * left out of the error norm: it never feeds back into the dynamics, so resolving it finely buys no accuracy
 * elsewhere, and at large parameter counts it would otherwise dictate the steps. Memory does not grow with the number
 * of steps. Allocation-free.
 */
final class ReintegratedSegments implements SegmentAdjoint {

    private final AugmentedDynamics augmented;
    private final OdeSolver solver;
    private final Counters counters;
    private final int n;
    private final double[] z;

    /**
     * @param backward options of the augmented solve; tolerance vectors, if any, must have length {@code 2n + p}.
     *                 Its error seminorm is replaced by the one described above.
     * @param counters where the augmented solves' counters are added. Modified.
     */
    ReintegratedSegments(ParametricOdeSystem f, SolverOptions backward, Counters counters) {
        this.augmented = new AugmentedDynamics(f);
        this.n = f.dimension();
        this.z = new double[augmented.dimension()];
        this.counters = counters;
        SolverOptions seminorm = backward.toBuilder().errorExcludedFrom(augmented.parameterOffset()).build();
        this.solver = new OdeSolver(augmented.dimension(), seminorm);
    }

    @Override
    public void backward(double t1, double[] y1, double t0, double[] y0, double[] a, double[] dLdTheta) {
        System.arraycopy(y1, 0, z, 0, n);
        System.arraycopy(a, 0, z, n, n);
        Arrays.fill(z, 2 * n, z.length, 0.0);
        try {
            solver.integrate(augmented, t1, z, t0, z);
        } catch (OdeSolverException e) {
            throw new BackwardPassException(e.time(), t1, t0, e.getClass().getSimpleName(), e);
        } finally {
            counters.add(solver.stats());
        }
        System.arraycopy(z, n, a, 0, n);
        for (int k = 0; k < dLdTheta.length; k++) {
            dLdTheta[k] += z[2 * n + k];
        }
    }

    /** @return the augmented solve's options, seminorm included. */
    SolverOptions options() {
        return solver.options();
    }
}
