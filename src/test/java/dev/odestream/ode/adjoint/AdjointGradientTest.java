package dev.odestream.ode.adjoint;

import dev.odestream.ode.Method;
import dev.odestream.ode.SolverOptions;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every gradient path against fourth-order central differences of the forward solve, at rtol = atol = 1e-12:
 * {@code dL/dy0}, {@code dL/dtheta} and every {@code dL/dt_i}, each to 1e-6 in the normwise relative error.
 */
class AdjointGradientTest {

    private static final double TOLERANCE = 1e-6;
    private static final double FD_STEP = 1e-4;

    static Stream<Arguments> problems() {
        List<Supplier<GradientProblem>> problems = List.of(GradientProblem::linear,
                GradientProblem::linearBackwardInTime, GradientProblem::mlp, GradientProblem::cubicSpiral);
        List<Arguments> cases = new ArrayList<>();
        for (Method method : new Method[] {Method.DOPRI5, Method.DOPRI8}) {
            for (Supplier<GradientProblem> problem : problems) {
                cases.add(Arguments.of(problem.get(), method));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("problems")
    void shouldMatchFiniteDifferencesOnEveryPath(GradientProblem problem, Method method) {
        SolverOptions options = SolverOptions.of(method, 1e-12, 1e-12);
        double[][] fd = problem.finiteDifferences(options, FD_STEP);
        List<Executable> checks = new ArrayList<>();
        for (GradientPath path : GradientPath.values()) {
            AdjointResult result = path.gradient(problem, options);
            checks.add(() -> assertClose(path + " dL/dy0", result.dLdy0(), fd[0]));
            checks.add(() -> assertClose(path + " dL/dtheta", result.dLdTheta(), fd[1]));
            checks.add(() -> assertClose(path + " dL/dt", result.dLdTimes(), fd[2]));
        }
        assertAll(checks);
    }

    private static void assertClose(String what, double[] actual, double[] expected) {
        double error = TestSystems.relativeError(actual, expected);
        assertTrue(error <= TOLERANCE, what + ": relative error " + error);
    }
}
