package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Failures end in an exception that names the time reached: never a hang, never a silently wrong answer. */
class FailureTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    /** y' = y^2, y(0) = 1 has y = 1 / (1 - t), which blows up at t = 1. */
    private static final OdeSystem BLOW_UP = scalar((t, y) -> y * y);

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"BOSH3", "DOPRI5", "TSIT5", "DOPRI8"})
    void shouldStopAtFiniteTimeBlowUpNamingTheTime(Method method) {
        OdeSolver solver = new OdeSolver(1, SolverOptions.of(method, 1e-8, 1e-8));
        OdeSolverException failure = assertFails(() -> solver.integrate(BLOW_UP, 0, new double[] {1}, 2,
                new double[1]));
        // the numerical solution's pole sits within about the tolerance of the exact one
        assertEquals(1.0, failure.time(), 1e-6, failure.toString());
        assertTrue(failure.getMessage().contains("t = " + failure.time()), failure.getMessage());
    }

    @Test
    void shouldStopAtBlowUpBackwardInTime() {
        OdeSystem backward = scalar((t, y) -> -y * y);
        OdeSolver solver = new OdeSolver(1, SolverOptions.of(Method.DOPRI5, 1e-8, 1e-8));
        OdeSolverException failure = assertFails(() -> solver.integrate(backward, 0, new double[] {1}, -2,
                new double[1]));
        assertEquals(-1.0, failure.time(), 1e-6, failure.toString());
    }

    @Test
    void shouldThrowWhenMaxStepsIsExceeded() {
        TestProblem problem = new TestProblem.Kepler();
        OdeSolver solver = new OdeSolver(4, SolverOptions.builder(Method.DOPRI5).maxSteps(20).build());
        OdeSolverException failure = assertFails(() -> solver.integrate(problem, 0, problem.exact(0), problem.t1(),
                new double[4]));
        assertTrue(failure instanceof MaxStepsExceededException, failure.toString());
        assertTrue(failure.time() > 0 && failure.time() < problem.t1());
        assertTrue(failure.getMessage().contains("20"), failure.getMessage());
        assertEquals(20, solver.stats().attempts());
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"RK4", "DOPRI5", "DOPRI8"})
    void shouldThrowWhenTheDynamicsProduceNaN(Method method) {
        OdeSystem poisoned = scalar((t, y) -> t > 1 ? Double.NaN : -y);
        SolverOptions options = method.adaptive() ? SolverOptions.of(method, 1e-8, 1e-8)
                : SolverOptions.builder(method).fixedStep(0.01).build();
        OdeSolver solver = new OdeSolver(1, options);
        OdeSolverException failure = assertFails(() -> solver.integrate(poisoned, 0, new double[] {1}, 3,
                new double[1]));
        assertTrue(failure instanceof NonFiniteStateException, failure.toString());
        assertEquals(1.0, failure.time(), 0.011);
        assertTrue(failure.time() <= 1.0);
    }

    @Test
    void shouldRecoverFromANonFiniteTrialStepByShrinking() {
        // sqrt(1 - y) is NaN beyond y = 1: a too-long trial step overshoots, a shorter one does not.
        OdeSystem guarded = scalar((t, y) -> Math.sqrt(1 - y) * 0.5);
        OdeSolver solver = new OdeSolver(1, SolverOptions.builder(Method.DOPRI5).rtol(1e-6).atol(1e-6).firstStep(4)
                .build());
        double[] y = new double[1];
        solver.integrate(guarded, 0, new double[] {0}, 1, y);
        // exact: 1 - y = (1 - t/4)^2
        assertEquals(1 - Math.pow(0.75, 2), y[0], 1e-5);
        assertTrue(solver.stats().rejected() > 0);
    }

    @Test
    void shouldRejectNonFiniteInitialState() {
        OdeSolver solver = new OdeSolver(1, SolverOptions.of(Method.DOPRI5, 1e-6, 1e-6));
        OdeSolverException failure = assertThrows(NonFiniteStateException.class,
                () -> solver.integrate(BLOW_UP, 0.5, new double[] {Double.NaN}, 1, new double[1]));
        assertEquals(0.5, failure.time());
    }

    @Test
    void shouldThrowUnderflowWhenMinStepIsReached() {
        OdeSolver solver = new OdeSolver(1, SolverOptions.builder(Method.DOPRI5).minStep(1e-3).build());
        OdeSolverException failure = assertFails(() -> solver.integrate(BLOW_UP, 0, new double[] {1}, 2,
                new double[1]));
        assertTrue(failure instanceof StepSizeUnderflowException, failure.toString());
        assertTrue(failure.time() < 1 && failure.time() > 0.9);
    }

    private static OdeSolverException assertFails(Executable call) {
        return assertTimeoutPreemptively(() -> assertThrows(OdeSolverException.class, call));
    }

    private static OdeSolverException assertTimeoutPreemptively(
            org.junit.jupiter.api.function.ThrowingSupplier<OdeSolverException> call) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(PROMPTLY, call);
    }

    interface ScalarField {
        double value(double t, double y);
    }

    static OdeSystem scalar(ScalarField field) {
        return new OdeSystem() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void derivatives(double t, double[] y, double[] yDot) {
                yDot[0] = field.value(t, y[0]);
            }
        };
    }
}
