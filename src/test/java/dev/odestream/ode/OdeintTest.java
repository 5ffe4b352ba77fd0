package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OdeintTest {

    private final TestProblem problem = new TestProblem.RotationDecay();

    @Test
    void shouldReturnTheStateAtEveryRequestedTime() {
        double[] t = {0, 0.5, 1.25, 3};
        OdeResult result = Odeint.odeint(problem, problem.exact(0), t, Method.DOPRI5, 1e-9, 1e-9);
        assertArrayEquals(problem.exact(0), result.y()[0], 0.0);
        for (int i = 1; i < t.length; i++) {
            assertTrue(Errors.scaled(result.y()[i], problem.exact(t[i])) < 1e-6, "t = " + t[i]);
        }
        assertTrue(result.stats().nfe() > 0 && result.stats().accepted() > 0);
    }

    @Test
    void shouldIntegrateBackwardForDecreasingTimes() {
        double[] t = {3, 2, 0};
        OdeResult result = Odeint.odeint(problem, problem.exact(3), t, Method.TSIT5, 1e-9, 1e-9);
        assertTrue(Errors.scaled(result.y()[2], problem.exact(0)) < 1e-6);
    }

    @Test
    void shouldTakeOneStepPerIntervalForFixedMethods() {
        double[] t = new double[301];
        for (int i = 0; i < t.length; i++) {
            t[i] = 0.01 * i;
        }
        OdeResult result = Odeint.odeint(problem, problem.exact(0), t, Method.RK4, 1e-6, 1e-6);
        assertEquals(300, result.stats().accepted());
        assertEquals(4 * 300 + 1, result.stats().nfe());
        assertTrue(Errors.scaled(result.y()[300], problem.exact(3)) < 1e-6);
    }

    @Test
    void shouldUseExplicitOptions() {
        double[] t = {0, 3};
        SolverOptions options = SolverOptions.builder(Method.HEUN).fixedStep(0.001).build();
        OdeResult result = Odeint.odeint(problem, problem.exact(0), t, options);
        assertEquals(3000, result.stats().accepted());
        assertTrue(Errors.scaled(result.y()[1], problem.exact(3)) < 1e-5);
    }
}
