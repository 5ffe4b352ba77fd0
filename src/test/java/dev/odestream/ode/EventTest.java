package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Zero crossings located on the trajectory's interpolant, against analytic crossing times. */
class EventTest {

    @Test
    void shouldLocateKeplerCrossingOfTheMinorAxis() {
        TestProblem problem = new TestProblem.Kepler();
        Trajectory trajectory = new OdeSolver(4, SolverOptions.of(Method.DOPRI5, 1e-10, 1e-10))
                .solve(problem, 0, problem.exact(0), problem.t1(), null);
        // x = cos E - e = 0 at E = arccos(e); Kepler's equation gives the time.
        double anomaly = Math.acos(TestProblem.Kepler.E);
        double expected = anomaly - TestProblem.Kepler.E * Math.sin(anomaly);
        double found = trajectory.firstCrossing((t, y) -> y[0], 1e-12);
        assertEquals(expected, found, 1e-8);
    }

    @Test
    void shouldLocateDecayThresholdWithinTheRequestedTolerance() {
        TestProblem problem = new TestProblem.ExponentialDecay();
        Trajectory trajectory = new OdeSolver(3, SolverOptions.of(Method.TSIT5, 1e-10, 1e-10))
                .solve(problem, 0, problem.exact(0), 2, null);
        double expected = 2 * Math.log(2);
        assertEquals(expected, trajectory.firstCrossing((t, y) -> y[0] - 0.5, 1e-11), 1e-8);
        assertEquals(expected, trajectory.firstCrossing((t, y) -> y[0] - 0.5, 1e-3), 1e-3);
    }

    @Test
    void shouldFindTheFirstCrossingInTheDirectionOfIntegration() {
        TestProblem problem = new TestProblem.SineForced();
        Trajectory trajectory = new OdeSolver(1, SolverOptions.of(Method.DOPRI5, 1e-10, 1e-10))
                .solve(problem, 5, problem.exact(5), 0, null);
        double expected = latestRootBelow(problem, 5);
        double found = trajectory.firstCrossing((t, y) -> y[0], 1e-12);
        assertEquals(expected, found, 1e-8);
    }

    @Test
    void shouldReturnNaNWithoutCrossing() {
        TestProblem problem = new TestProblem.ExponentialDecay();
        Trajectory trajectory = new OdeSolver(3, SolverOptions.of(Method.DOPRI5, 1e-6, 1e-6))
                .solve(problem, 0, problem.exact(0), 2, null);
        assertTrue(Double.isNaN(trajectory.firstCrossing((t, y) -> y[0] + 10, 1e-9)));
    }

    /** The largest zero of the closed-form solution below {@code from}, by scanning and bisection. */
    private static double latestRootBelow(TestProblem problem, double from) {
        double hi = from;
        double lo = from - 0.01;
        while (Math.signum(problem.exact(lo)[0]) == Math.signum(problem.exact(hi)[0])) {
            hi = lo;
            lo -= 0.01;
        }
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (Math.signum(problem.exact(mid)[0]) == Math.signum(problem.exact(hi)[0])) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
