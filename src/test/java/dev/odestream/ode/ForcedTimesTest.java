package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A right-hand side that jumps at t = 1: y' = -y + (t < 1 ? 0 : 5). With the jump as a forced time, steps land on
 * it, stages at its edge see the dynamics from inside the step, and the next step starts from the far side.
 */
class ForcedTimesTest {

    private static final double JUMP = 1;
    private static final double TOL = 1e-8;

    private static final OdeSystem SWITCHED = new OdeSystem() {
        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void derivatives(double t, double[] y, double[] yDot) {
            yDot[0] = -y[0] + (t < JUMP ? 0 : 5);
        }
    };

    private static double exact(double t) {
        double atJump = 2 * Math.exp(-JUMP);
        return t <= JUMP ? 2 * Math.exp(-t) : 5 + (atJump - 5) * Math.exp(-(t - JUMP));
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"BOSH3", "DOPRI5", "TSIT5", "DOPRI8"})
    void shouldIntegrateAcrossTheJumpAccuratelyAndCheaply(Method method) {
        for (double[] span : new double[][] {{0, 3}, {3, 0}}) {
            SolverOptions plain = SolverOptions.of(method, TOL, TOL);
            OdeSolver forced = new OdeSolver(1, plain.toBuilder().forcedTimes(-1, JUMP, 7).build());
            double[] y = new double[1];
            forced.integrate(SWITCHED, span[0], new double[] {exact(span[0])}, span[1], y);
            assertTrue(Math.abs(y[0] - exact(span[1])) <= 1000 * TOL, method + " from " + span[0] + ": " + y[0]);

            OdeSolver unforced = new OdeSolver(1, plain);
            unforced.integrate(SWITCHED, span[0], new double[] {exact(span[0])}, span[1], new double[1]);
            assertTrue(forced.stats().nfe() < unforced.stats().nfe(),
                    method + ": forced " + forced.stats() + " vs " + unforced.stats());
        }
    }

    /** DOPRI8's cubic Hermite needs short steps to be this accurate; the jump's slope must be the near side's. */
    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"BOSH3", "DOPRI5", "TSIT5", "DOPRI8"})
    void shouldInterpolateOnBothSidesOfTheJump(Method method) {
        double maxStep = method == Method.DOPRI8 ? 0.05 : Double.POSITIVE_INFINITY;
        OdeSolver solver = new OdeSolver(1, SolverOptions.builder(method).rtol(TOL).atol(TOL).forcedTimes(JUMP)
                .maxStep(maxStep).build());
        Trajectory trajectory = solver.solve(SWITCHED, 0, new double[] {2}, 3, null);
        double[] y = new double[1];
        for (double t : new double[] {0.9, 0.99, 0.999, JUMP, 1.001, 1.01, 1.1}) {
            trajectory.stateAt(t, y);
            assertTrue(Math.abs(y[0] - exact(t)) <= 1000 * TOL, method + " at " + t + ": " + y[0] + " vs " + exact(t));
        }
    }

    @Test
    void shouldStartFromTheInsideOfAForcedTime() {
        OdeSolver solver = new OdeSolver(1, SolverOptions.builder(Method.DOPRI5).rtol(TOL).atol(TOL)
                .forcedTimes(JUMP).build());
        double[] y = new double[1];
        solver.integrate(SWITCHED, JUMP, new double[] {exact(JUMP)}, 0, y);
        assertTrue(Math.abs(y[0] - exact(0)) <= 1000 * TOL, "backward from the jump: " + y[0]);
        solver.integrate(SWITCHED, JUMP, new double[] {exact(JUMP)}, 2, y);
        assertTrue(Math.abs(y[0] - exact(2)) <= 1000 * TOL, "forward from the jump: " + y[0]);
    }

    @Test
    void shouldKeepFixedStepOrderAcrossTheJump() {
        double[] withForced = new double[1];
        double[] without = new double[1];
        SolverOptions rk4 = SolverOptions.builder(Method.RK4).fixedStep(0.07).build();
        new OdeSolver(1, rk4.toBuilder().forcedTimes(JUMP).build())
                .integrate(SWITCHED, 0, new double[] {2}, 3, withForced);
        new OdeSolver(1, rk4).integrate(SWITCHED, 0, new double[] {2}, 3, without);
        double forcedError = Math.abs(withForced[0] - exact(3));
        double plainError = Math.abs(without[0] - exact(3));
        assertTrue(forcedError < 1e-5 && forcedError * 100 < plainError, forcedError + " vs " + plainError);
    }
}
