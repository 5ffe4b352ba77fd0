package dev.odestream.ode.adjoint;

import dev.odestream.ode.Method;
import dev.odestream.ode.SolverOptions;
import dev.odestream.testing.Allocations;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AdjointSolver#forwardThrough}, one dense-output pass over many output times, followed by the backward pass
 * segment by segment with the step carried: the gradient the restarting forward pass gives, to the tolerance, at
 * fewer evaluations.
 */
class ForwardThroughTest {

    private static final SolverOptions RESTART = SolverOptions.of(Method.DOPRI5, 1e-9, 1e-11);
    private static final SolverOptions CARRY = RESTART.toBuilder().carryStep(true).build();
    private static final int OUTPUTS = 60;

    @Test
    void shouldGiveTheRestartingGradientAtFewerEvaluations() {
        GradientProblem p = GradientProblem.mlp();
        double[] times = new double[OUTPUTS];
        for (int i = 0; i < OUTPUTS; i++) {
            times[i] = 3.0 * i / (OUTPUTS - 1);
        }
        Run restarting = run(p, times, new AdjointSolver(p.f(), RESTART, RESTART, AdjointSolver.Mode.REINTEGRATE),
                false);
        Run dense = run(p, times, new AdjointSolver(p.f(), CARRY, CARRY, AdjointSolver.Mode.REINTEGRATE), true);
        double stateError = TestSystems.relativeError(restarting.last(), dense.last());
        double gradientError = TestSystems.relativeError(restarting.dLdy0(), dense.dLdy0());
        assertTrue(stateError < 1e-7, "last state relative error " + stateError);
        assertTrue(gradientError < 1e-6, "dL/dy0 relative error " + gradientError);
        assertTrue(dense.forwardNfe() < restarting.forwardNfe() / 3,
                "forward evaluations " + dense.forwardNfe() + " vs " + restarting.forwardNfe());
        assertTrue(dense.backwardNfe() < restarting.backwardNfe(),
                "backward evaluations " + dense.backwardNfe() + " vs " + restarting.backwardNfe());
    }

    @Test
    void shouldNotAllocateOnceWarm() {
        GradientProblem p = GradientProblem.mlp();
        AdjointSolver solver = new AdjointSolver(p.f(), CARRY, CARRY, AdjointSolver.Mode.REINTEGRATE);
        double[][] out = new double[p.times().length][p.f().dimension()];
        long bytes = Allocations.fewestBytes(
                () -> solver.forwardThrough(p.times()[0], p.y0(), p.times(), 1, p.times().length, out), 20, 5);
        assertEquals(0, bytes, "bytes allocated by five warm dense-output passes");
    }

    @Test
    void shouldRefuseTheCheckpointMode() {
        GradientProblem p = GradientProblem.linear();
        AdjointSolver solver = new AdjointSolver(p.f(), CARRY, null, AdjointSolver.Mode.CHECKPOINT);
        double[][] out = new double[p.times().length][p.f().dimension()];
        assertThrows(IllegalStateException.class,
                () -> solver.forwardThrough(p.times()[0], p.y0(), p.times(), 1, p.times().length, out));
    }

    /** The forward pass (dense or restarting), then the adjoint of {@code L = sum_i r . y(t_i)} segment by segment. */
    private static Run run(GradientProblem p, double[] times, AdjointSolver solver, boolean dense) {
        int n = p.f().dimension();
        double[][] states = new double[times.length][n];
        System.arraycopy(p.y0(), 0, states[0], 0, n);
        if (dense) {
            solver.forwardThrough(times[0], p.y0(), times, 1, times.length, states);
        } else {
            solver.forward(times, p.y0(), states);
        }
        double[] r = p.r()[1];
        double[] a = r.clone();
        double[] dLdTheta = new double[p.f().parameterCount()];
        for (int i = times.length - 1; i > 0; i--) {
            solver.backwardSegment(times[i], states[i], times[i - 1], states[i - 1], a, dLdTheta);
            Vectors.addTo(r, a);
        }
        return new Run(states[times.length - 1], a, solver.forwardStatistics().nfe(),
                solver.backwardStatistics().nfe());
    }

    private record Run(double[] last, double[] dLdy0, long forwardNfe, long backwardNfe) {
    }
}
