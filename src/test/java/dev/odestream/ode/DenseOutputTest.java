package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dense output checked against the exact solution at points inside steps, for the adaptive methods whose
 * interpolant is at least as accurate as their error estimate (DOPRI8's cubic Hermite is not; its order inside
 * steps is measured in {@link ConvergenceOrderTest}).
 */
class DenseOutputTest {

    private static final double TOL = 1e-8;
    private static final double TOLERANCE_MULTIPLE = 1000;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Method method : new Method[] {Method.BOSH3, Method.DOPRI5, Method.TSIT5}) {
            for (TestProblem problem : TestProblem.all()) {
                cases.add(Arguments.of(method, problem, true));
                cases.add(Arguments.of(method, problem, false));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} {1} forward={2}")
    @MethodSource("cases")
    void shouldInterpolateInsideEveryStepWithinTolerance(Method method, TestProblem problem, boolean forward) {
        double from = forward ? problem.t0() : problem.t1();
        double to = forward ? problem.t1() : problem.t0();
        OdeSolver solver = new OdeSolver(problem.dimension(), SolverOptions.of(method, TOL, TOL));
        Trajectory trajectory = solver.solve(problem, from, problem.exact(from), to, null);
        assertTrue(trajectory.steps() > 5, "enough steps to test inside them");
        double[] y = new double[problem.dimension()];
        double worst = 0;
        for (int i = 0; i < trajectory.steps(); i++) {
            for (double theta : new double[] {0.25, 0.5, 0.75}) {
                double t = trajectory.time(i) + theta * (trajectory.time(i + 1) - trajectory.time(i));
                trajectory.stateAt(t, y);
                worst = Math.max(worst, Errors.scaled(y, problem.exact(t)));
            }
        }
        assertTrue(worst <= TOLERANCE_MULTIPLE * TOL, method + " on " + problem + ": worst error " + worst);
    }

    @Test
    void shouldAnswerOutputTimesAsTheTrajectoryDoes() {
        TestProblem problem = new TestProblem.Kepler();
        double[] times = new double[40];
        for (int i = 0; i < times.length; i++) {
            times[i] = problem.t1() * (i + 1) / times.length;
        }
        OdeSolver solver = new OdeSolver(4, SolverOptions.of(Method.TSIT5, 1e-8, 1e-8));
        double[][] out = new double[times.length][4];
        solver.integrate(problem, 0, problem.exact(0), times, out);
        Trajectory trajectory = solver.solve(problem, 0, problem.exact(0), problem.t1(), null);
        double[] y = new double[4];
        for (int i = 0; i < times.length; i++) {
            trajectory.stateAt(times[i], y);
            assertArrayEquals(y, out[i], 1e-14, "t = " + times[i]);
            assertTrue(Errors.scaled(out[i], problem.exact(times[i])) < 1e-5);
        }
    }

    @Test
    void shouldReturnExactStepEndsAndRejectTimesOutsideTheTrajectory() {
        TestProblem problem = new TestProblem.SineForced();
        OdeSolver solver = new OdeSolver(1, SolverOptions.of(Method.DOPRI5, 1e-6, 1e-6));
        double[] end = new double[1];
        solver.integrate(problem, 5, problem.exact(5), 1, end);
        Trajectory trajectory = solver.solve(problem, 5, problem.exact(5), 1, new Trajectory());
        assertEquals(5, trajectory.tStart());
        assertEquals(1, trajectory.tEnd());
        double[] y = new double[1];
        trajectory.stateAt(1, y);
        assertArrayEquals(end, y, 0.0);
        trajectory.stateAt(5, y);
        assertArrayEquals(problem.exact(5), y, 0.0);
        assertThrows(IllegalArgumentException.class, () -> trajectory.stateAt(0.999, y));
        assertThrows(IllegalArgumentException.class, () -> trajectory.stateAt(5.001, y));
    }

    @Test
    void shouldReuseTrajectoryBuffersAcrossSolves() {
        TestProblem long1 = new TestProblem.Kepler();
        OdeSolver solver = new OdeSolver(4, SolverOptions.of(Method.DOPRI5, 1e-9, 1e-9));
        Trajectory trajectory = solver.solve(long1, 0, long1.exact(0), long1.t1(), null);
        int longSteps = trajectory.steps();
        Trajectory again = solver.solve(long1, 0, long1.exact(0), 1.0, trajectory);
        assertTrue(again == trajectory && again.steps() < longSteps);
        double[] y = new double[4];
        again.stateAt(0.5, y);
        assertTrue(Errors.scaled(y, long1.exact(0.5)) < 1e-7);
    }

    @Test
    void shouldRecordNoStepsAndKeepTheStateWhenTimesCoincide() {
        TestProblem problem = new TestProblem.SineForced();
        OdeSolver solver = new OdeSolver(1, SolverOptions.of(Method.DOPRI5, 1e-6, 1e-6));
        Trajectory trajectory = solver.solve(problem, 2, new double[] {3}, 2, null);
        assertEquals(0, trajectory.steps());
        double[] y = new double[1];
        trajectory.stateAt(2, y);
        assertEquals(3, y[0]);
        assertEquals(0, solver.stats().nfe());
    }
}
