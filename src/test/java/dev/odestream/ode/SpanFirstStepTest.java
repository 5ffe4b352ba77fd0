package dev.odestream.ode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpanFirstStepTest {

    /** y' = -y: smooth and slow, so a short span fits in one step. */
    private static final OdeSystem DECAY = new OdeSystem() {
        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void derivatives(double t, double[] y, double[] dy) {
            dy[0] = -y[0];
        }
    };

    private static OdeSolver solver(boolean spanFirst) {
        return new OdeSolver(1, SolverOptions.builder(Method.DOPRI5).rtol(1e-3).atol(1e-5).spanFirst(spanFirst)
                .build());
    }

    @Test
    void shouldTakeAShortSpanInOneStepWithoutTheEstimatesEvaluation() {
        OdeSolver solver = solver(true);
        double[] y = {1.0};
        solver.integrate(DECAY, 0.0, y, 0.1, y);
        assertEquals(1, solver.stats().accepted());
        assertEquals(0, solver.stats().rejected());
        assertEquals(1 + 6, solver.stats().nfe(), "the derivative at t0 and six new DOPRI5 stages");
        assertEquals(Math.exp(-0.1), y[0], 1e-6);
    }

    @Test
    void shouldCostFewerEvaluationsThanHairersEstimateOnAShortSpan() {
        OdeSolver span = solver(true);
        OdeSolver hairer = solver(false);
        span.integrate(DECAY, 0.0, new double[] {1.0}, 0.5, new double[1]);
        hairer.integrate(DECAY, 0.0, new double[] {1.0}, 0.5, new double[1]);
        assertTrue(span.stats().nfe() < hairer.stats().nfe(), span.stats().nfe() + " vs " + hairer.stats().nfe());
    }

    @Test
    void shouldBoundTheFirstStepOnALongSpanAndStayAccurate() {
        OdeSolver solver = solver(true);
        double[] y = {1.0};
        solver.integrate(DECAY, 0.0, y, 50.0, y);
        assertTrue(solver.stats().accepted() > 5, "a 50-unit decay cannot be one step");
        assertEquals(Math.exp(-50.0), y[0], 1e-4);
    }

    @Test
    void shouldReportTheRuleInTheOptions() {
        assertTrue(SolverOptions.builder(Method.DOPRI5).spanFirst(true).build().spanFirst());
        assertTrue(SolverOptions.builder(Method.DOPRI5).spanFirst(true).build().toString().contains("spanFirst"));
    }
}
