package dev.odestream.ode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SolverOptions#carryStep()}: a long interval solved piece by piece, with a jump of the state at every joint
 * as an ODE-RNN or an adjoint has, and the output-range form of dense output that a batch on a union grid uses.
 */
class CarriedStepTest {

    private static final double RTOL = 1e-7;
    private static final double ATOL = 1e-9;
    private static final int SEGMENTS = 100;
    /** The jump at every joint: the state is scaled, which a linear flow commutes with. */
    private static final double JUMP = 0.99;

    @Test
    void shouldStayWithinToleranceOfTheExactSolutionWhileEvaluatingLessOverManyShortSegments() {
        TestProblem problem = new TestProblem.RotationDecay();
        Pieces fresh = solveInPieces(problem, false);
        Pieces carried = solveInPieces(problem, true);
        // A global error of a few tolerances per segment at most: the bound that a restart per segment also meets.
        double bound = SEGMENTS * RTOL;
        assertTrue(fresh.worstError() < bound, "restarting: worst error " + fresh.worstError());
        assertTrue(carried.worstError() < bound, "carrying: worst error " + carried.worstError());
        assertTrue(carried.evaluations() < 0.7 * fresh.evaluations(),
                "evaluations carrying " + carried.evaluations() + " vs restarting " + fresh.evaluations());
    }

    @Test
    void shouldEstimateTheFirstStepAfreshWhenASolveDoesNotContinueThePreviousOne() {
        TestProblem problem = new TestProblem.SineForced();
        OdeSolver carrying = new OdeSolver(1, options(true));
        OdeSolver plain = new OdeSolver(1, options(false));
        double[] y0 = problem.exact(0.0);
        double[] first = new double[1];
        double[] again = new double[1];
        double[] expected = new double[1];
        carrying.integrate(problem, 0.0, y0, 1.0, first);
        carrying.integrate(problem, 0.0, y0, 1.0, again);
        plain.integrate(problem, 0.0, y0, 1.0, expected);
        assertArrayEquals(expected, again, 0.0, "a solve from a time other than the last end");
        assertEquals(plain.stats().nfe(), carrying.stats().nfe());

        carrying.integrate(problem, 1.0, first, 0.0, again);
        plain.integrate(problem, 1.0, first, 0.0, expected);
        assertArrayEquals(expected, again, 0.0, "a solve in the other direction");
        assertEquals(plain.stats().nfe(), carrying.stats().nfe());
    }

    @Test
    void shouldAnswerAStretchOfOutputTimesAsTheWholeGridWouldAndLeaveTheOtherRows() {
        TestProblem problem = new TestProblem.RotationDecay();
        double[] grid = {0.0, 0.4, 0.9, 1.3, 2.0, 2.6};
        double[] y0 = problem.exact(0.4);
        double[][] stretch = rows(grid.length, Double.NaN);
        new OdeSolver(4, options(false)).integrate(problem, 0.4, y0, grid, 2, 5, stretch);
        double[] times = {0.9, 1.3, 2.0};
        double[][] whole = rows(times.length, 0.0);
        new OdeSolver(4, options(false)).integrate(problem, 0.4, y0, times, whole);
        for (int i = 0; i < times.length; i++) {
            assertArrayEquals(whole[i], stretch[i + 2], 0.0, "row " + (i + 2));
        }
        for (int i : new int[] {0, 1, 5}) {
            assertTrue(Double.isNaN(stretch[i][0]), "row " + i + " outside the stretch is not touched");
        }
    }

    @Test
    void shouldBeOffByDefaultAndSurviveACopy() {
        SolverOptions defaults = SolverOptions.of(Method.DOPRI5, RTOL, ATOL);
        assertFalse(defaults.carryStep());
        assertTrue(options(true).toBuilder().build().carryStep());
    }

    /** {@code SEGMENTS} equal pieces of the problem's interval, the state scaled by {@link #JUMP} at every joint. */
    private static Pieces solveInPieces(TestProblem problem, boolean carry) {
        int n = problem.dimension();
        OdeSolver solver = new OdeSolver(n, options(carry));
        double[] y = problem.exact(problem.t0());
        double[] exact = new double[n];
        double span = problem.t1() - problem.t0();
        double worst = 0.0;
        long evaluations = 0;
        for (int s = 1; s <= SEGMENTS; s++) {
            double t0 = problem.t0() + span * (s - 1) / SEGMENTS;
            double t1 = problem.t0() + span * s / SEGMENTS;
            solver.integrate(problem, t0, y, t1, y);
            evaluations += solver.stats().nfe();
            problem.computeExact(t1, exact);
            double scale = Math.pow(JUMP, s - 1);
            for (int i = 0; i < n; i++) {
                worst = Math.max(worst, Math.abs(y[i] - scale * exact[i]) / (scale * Math.max(1.0,
                        Math.abs(exact[i]))));
                y[i] *= JUMP;
            }
        }
        return new Pieces(worst, evaluations);
    }

    private static SolverOptions options(boolean carry) {
        return SolverOptions.builder(Method.DOPRI5).rtol(RTOL).atol(ATOL).carryStep(carry).build();
    }

    private static double[][] rows(int count, double fill) {
        double[][] out = new double[count][4];
        for (double[] row : out) {
            java.util.Arrays.fill(row, fill);
        }
        return out;
    }

    private record Pieces(double worstError, long evaluations) {
    }
}
