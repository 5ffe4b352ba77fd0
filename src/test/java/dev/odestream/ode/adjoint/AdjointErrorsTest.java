package dev.odestream.ode.adjoint;

import dev.odestream.ode.MaxStepsExceededException;
import dev.odestream.ode.Method;
import dev.odestream.ode.NonFiniteStateException;
import dev.odestream.ode.ParametricOdeSystem;
import dev.odestream.ode.SolverOptions;
import dev.odestream.nn.MlpDynamics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdjointErrorsTest {

    private static final SolverOptions OPTIONS = SolverOptions.of(Method.DOPRI5, 1e-8, 1e-8);
    private static final double[] TIMES = {0.0, 0.5, 2.0};

    /** The linear test system with derivatives, or vector-Jacobian products, that turn NaN past a time. */
    private static final class Poisoned implements ParametricOdeSystem {
        private final TestSystems.Linear inner = TestSystems.Linear.random(2, 0.3, false, 3);
        private final double derivativesAfter;
        private final double vjpAfter;

        Poisoned(double derivativesAfter, double vjpAfter) {
            this.derivativesAfter = derivativesAfter;
            this.vjpAfter = vjpAfter;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public int parameterCount() {
            return inner.parameterCount();
        }

        @Override
        public void derivatives(double t, double[] y, double[] yDot) {
            inner.derivatives(t, y, yDot);
            if (t > derivativesAfter) {
                yDot[0] = Double.NaN;
            }
        }

        @Override
        public double vjp(double t, double[] y, double[] a, double[] aDfDy, double[] aDfDTheta) {
            double aDfDt = inner.vjp(t, y, a, aDfDy, aDfDTheta);
            if (t > vjpAfter) {
                aDfDy[1] = Double.NaN;
            }
            return aDfDt;
        }
    }

    @ParameterizedTest
    @EnumSource(AdjointSolver.Mode.class)
    void shouldReportWhereTheForwardStateBecameNonFinite(AdjointSolver.Mode mode) {
        AdjointSolver solver = new AdjointSolver(new Poisoned(1.0, Double.POSITIVE_INFINITY), OPTIONS, OPTIONS, mode);
        NonFiniteStateException e = assertThrows(NonFiniteStateException.class,
                () -> solver.gradient(TIMES, new double[] {1, 1}, new double[3][2]));
        assertTrue(e.time() > 0.5 && e.time() <= 1.0, "reached " + e.time());
        assertTrue(e.getMessage().contains("Non-finite"), e.getMessage());
    }

    @Test
    void shouldReportANonFiniteStateInTheTapedForwardPass() {
        DirectBackprop direct = new DirectBackprop(new Poisoned(1.0, Double.POSITIVE_INFINITY), OPTIONS);
        assertThrows(NonFiniteStateException.class,
                () -> direct.gradient(TIMES, new double[] {1, 1}, new double[3][2]));
    }

    @ParameterizedTest
    @EnumSource(AdjointSolver.Mode.class)
    void shouldFailWhenTheAdjointBecomesNonFinite(AdjointSolver.Mode mode) {
        AdjointSolver solver = new AdjointSolver(new Poisoned(Double.POSITIVE_INFINITY, 1.0), OPTIONS, OPTIONS, mode);
        double[][] dLdy = {{1, 1}, {1, 1}, {1, 1}};
        BackwardPassException e = assertThrows(BackwardPassException.class,
                () -> solver.gradient(TIMES, new double[] {1, 1}, dLdy));
        assertTrue(e.time() >= 0.5 && e.time() <= 2.0, "reached " + e.time());
        assertTrue(e.getMessage().startsWith("Adjoint backward pass from t = 2.0 to 0.5 failed"), e.getMessage());
    }

    @Test
    void shouldPassOnTheStepBudgetFailure() {
        SolverOptions tight = SolverOptions.builder(Method.DOPRI5).rtol(1e-12).atol(1e-12).maxSteps(5).build();
        GradientProblem p = GradientProblem.cubicSpiral();
        AdjointSolver solver = new AdjointSolver(p.f(), tight, tight, AdjointSolver.Mode.REINTEGRATE);
        assertThrows(MaxStepsExceededException.class, () -> solver.gradient(p.times(), p.y0(), p.r()));
    }

    @Test
    void shouldRejectTimesThatAreNotStrictlyMonotone() {
        GradientProblem p = GradientProblem.linear();
        AdjointSolver solver = new AdjointSolver(p.f(), OPTIONS, OPTIONS, AdjointSolver.Mode.CHECKPOINT);
        double[][] dLdy = new double[3][3];
        assertThrows(IllegalArgumentException.class,
                () -> solver.gradient(new double[] {0, 1, 1}, p.y0(), dLdy));
        assertThrows(IllegalArgumentException.class,
                () -> solver.gradient(new double[] {0, 1, 0.5}, p.y0(), dLdy));
        assertThrows(IllegalArgumentException.class,
                () -> solver.gradient(new double[] {0, Double.NaN, 2}, p.y0(), dLdy));
    }

    @Test
    void shouldRejectADynamicsWhoseDimensionChanged() {
        GradientProblem p = GradientProblem.mlp();
        AdjointSolver solver = new AdjointSolver(p.f(), OPTIONS, OPTIONS, AdjointSolver.Mode.REINTEGRATE);
        ((MlpDynamics) p.f()).setBatch(1);
        assertThrows(IllegalStateException.class, () -> solver.gradient(p.times(), p.y0(), p.r()));
    }

    @Test
    void shouldRequireTheTapedTimesForDirectBackward() {
        GradientProblem p = GradientProblem.linear();
        DirectBackprop direct = new DirectBackprop(p.f(), OPTIONS);
        int n = p.f().dimension();
        double[][] states = new double[p.times().length][n];
        direct.forward(p.times(), p.y0(), states);
        double[] other = p.times().clone();
        other[2] += 0.01;
        assertThrows(IllegalStateException.class, () -> direct.backward(other, states, p.r(), new double[n],
                new double[p.f().parameterCount()], new double[other.length]));
    }

    @Test
    void shouldGiveOnlyTheDirectTermForASingleOutputTime() {
        GradientProblem p = GradientProblem.linear();
        AdjointSolver solver = new AdjointSolver(p.f(), OPTIONS, OPTIONS, AdjointSolver.Mode.REINTEGRATE);
        AdjointResult result = solver.gradient(new double[] {0.3}, p.y0(), new double[][] {p.r()[0]});
        assertEquals(0.0, TestSystems.relativeError(result.dLdy0(), p.r()[0]));
        assertEquals(0.0, result.dLdTimes()[0]);
        for (double g : result.dLdTheta()) {
            assertEquals(0.0, g);
        }
    }
}
