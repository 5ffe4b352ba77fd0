package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SolverOptionsTest {

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                invalid("rtol", b -> b.rtol(-1)),
                invalid("atol", b -> b.atol(0)),
                invalid("atol", b -> b.atol(Double.NaN)),
                invalid("rtol entries", b -> b.rtol(new double[] {1e-6, -1})),
                invalid("atol entries", b -> b.atol(new double[] {0})),
                invalid("differ in length", b -> b.rtol(new double[] {1e-6}).atol(new double[] {1e-6, 1e-6})),
                invalid("safety", b -> b.safety(1.5)),
                invalid("minFactor", b -> b.minFactor(0)),
                invalid("maxFactor", b -> b.maxFactor(0.5)),
                invalid("minStep", b -> b.minStep(-1)),
                invalid("maxStep", b -> b.maxStep(0)),
                invalid("must not exceed", b -> b.minStep(1).maxStep(0.5)),
                invalid("maxSteps", b -> b.maxSteps(0)),
                invalid("firstStep", b -> b.firstStep(-1)),
                invalid("fixedStep", b -> b.fixedStep(Double.POSITIVE_INFINITY)),
                invalid("errorExcludedFrom", b -> b.errorExcludedFrom(0)),
                invalid("strictly increasing", b -> b.forcedTimes(1, 1)),
                invalid("finite", b -> b.forcedTimes(Double.NaN)));
    }

    private static Arguments invalid(String named, UnaryOperator<SolverOptions.Builder> setting) {
        return Arguments.of(named, setting);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void shouldRejectInvalidSettingsNamingThem(String named, UnaryOperator<SolverOptions.Builder> setting) {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> setting.apply(SolverOptions.builder(Method.DOPRI5)).build());
        assertTrue(failure.getMessage().contains(named), failure.getMessage());
    }

    @Test
    void shouldHaveStandardDefaults() {
        SolverOptions options = SolverOptions.builder(Method.DOPRI5).build();
        assertEquals(0.9, options.safety());
        assertEquals(0.2, options.minFactor());
        assertEquals(10, options.maxFactor());
        assertEquals(100_000, options.maxSteps());
        assertEquals(0, options.firstStep());
        assertEquals(0, options.fixedStep());
        assertEquals(5, options.errorComponents(5));
        assertTrue(options.adaptiveSteps());
    }

    @Test
    void shouldCopyThroughToBuilderAndKeepVectors() {
        SolverOptions options = SolverOptions.builder(Method.TSIT5).rtol(new double[] {1e-3, 1e-4})
                .atol(new double[] {1e-5, 1e-6}).errorExcludedFrom(1).forcedTimes(2, 3).build();
        SolverOptions copy = options.toBuilder().method(Method.DOPRI5).build();
        assertEquals(Method.DOPRI5, copy.method());
        assertEquals(1e-4, copy.rtol(1));
        assertEquals(1e-6, copy.atol(1));
        assertEquals(1, copy.errorComponents(2));
        assertArrayEquals(new double[] {2, 3}, copy.forcedTimes());
        assertEquals(2, copy.toleranceLength());
    }

    @Test
    void shouldRejectSolverWhoseDimensionDisagrees() {
        SolverOptions vectorTolerances = SolverOptions.builder(Method.DOPRI5).atol(new double[] {1e-6, 1e-6}).build();
        assertThrows(IllegalArgumentException.class, () -> new OdeSolver(3, vectorTolerances));
        OdeSolver solver = new OdeSolver(2, SolverOptions.of(Method.DOPRI5, 1e-6, 1e-6));
        TestProblem oneDimensional = new TestProblem.SineForced();
        assertThrows(IllegalArgumentException.class,
                () -> solver.integrate(oneDimensional, 0, new double[2], 1, new double[2]));
        assertThrows(IllegalArgumentException.class,
                () -> solver.integrate(new TestProblem.RotationDecay(), 0, new double[1], 1, new double[2]));
    }

    @Test
    void shouldRejectOutputTimesThatAreNotStrictlyMonotone() {
        OdeSolver solver = new OdeSolver(1, SolverOptions.of(Method.DOPRI5, 1e-6, 1e-6));
        TestProblem problem = new TestProblem.SineForced();
        double[][] out = new double[3][1];
        for (double[] times : new double[][] {{0, 2, 1}, {1, 1, 2}, {-1, 1, 2}, {0, 1, Double.NaN}}) {
            assertThrows(IllegalArgumentException.class, () -> solver.integrate(problem, 0, new double[1], times,
                    out));
        }
    }
}
