package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measured orders of convergence: every tableau run at fixed steps {@code h} and {@code h/2} on the linear
 * rotation-decay problem. The step counts are chosen per method inside the asymptotic range and above round-off
 * (DOPRI8 reaches round-off by 64 steps, so it is measured at 16 and 32).
 */
class ConvergenceOrderTest {

    private static final double SLACK = 0.2;

    @ParameterizedTest(name = "{0} at {1} and {2} steps")
    @CsvSource({"EULER, 512", "MIDPOINT, 128", "HEUN, 128", "RK4, 128", "BOSH3, 128", "DOPRI5, 128", "TSIT5, 256",
        "DOPRI8, 16"})
    void shouldConvergeAtTheNominalOrderAtStepEnds(Method method, int steps) {
        TestProblem problem = new TestProblem.RotationDecay();
        double coarse = endError(problem, method, steps);
        double fine = endError(problem, method, 2 * steps);
        assertEquals(method.tableau().order(), Errors.order(coarse, fine), SLACK, method + ": " + coarse + " -> " + fine);
    }

    /**
     * Inside a step the error is the step-end error plus the interpolant's own local error, of order dense + 1, so
     * midpoints converge at min(order, dense order + 1): 4 for DOPRI8's cubic Hermite, whose dense order is 3.
     */
    @ParameterizedTest(name = "{0} at {1} and {2} steps")
    @CsvSource({"EULER, 512, 1", "MIDPOINT, 128, 2", "HEUN, 128, 2", "RK4, 128, 4", "BOSH3, 128, 3", "DOPRI5, 128, 5",
        "TSIT5, 256, 5", "DOPRI8, 64, 4"})
    void shouldConvergeAtTheDenseOrderInsideSteps(Method method, int steps, int expectedOrder) {
        TestProblem problem = new TestProblem.RotationDecay();
        double coarse = midpointError(problem, method, steps);
        double fine = midpointError(problem, method, 2 * steps);
        assertEquals(expectedOrder, Errors.order(coarse, fine), SLACK, method + ": " + coarse + " -> " + fine);
    }

    private static double endError(TestProblem problem, Method method, int steps) {
        double[] y = new double[problem.dimension()];
        solver(problem, method, steps).integrate(problem, problem.t0(), problem.exact(problem.t0()), problem.t1(), y);
        return Errors.scaled(y, problem.exact(problem.t1()));
    }

    private static double midpointError(TestProblem problem, Method method, int steps) {
        Trajectory trajectory = solver(problem, method, steps)
                .solve(problem, problem.t0(), problem.exact(problem.t0()), problem.t1(), null);
        assertEquals(steps, trajectory.steps());
        double[] y = new double[problem.dimension()];
        double worst = 0;
        for (int i = 0; i < steps; i++) {
            double mid = 0.5 * (trajectory.time(i) + trajectory.time(i + 1));
            trajectory.stateAt(mid, y);
            worst = Math.max(worst, Errors.scaled(y, problem.exact(mid)));
        }
        return worst;
    }

    private static OdeSolver solver(TestProblem problem, Method method, int steps) {
        double h = (problem.t1() - problem.t0()) / steps;
        return new OdeSolver(problem.dimension(), SolverOptions.builder(method).fixedStep(h).build());
    }
}
