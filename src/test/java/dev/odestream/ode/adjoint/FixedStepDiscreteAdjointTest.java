package dev.odestream.ode.adjoint;

import dev.odestream.ode.Method;
import dev.odestream.ode.SolverOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For fixed-step methods the checkpointed adjoint is the exact gradient of the discrete forward map, so it must equal
 * back-propagation through the taped solve, and both must equal finite differences of that map (no discretisation
 * error separates them, unlike the adaptive tests).
 */
class FixedStepDiscreteAdjointTest {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Method method : new Method[] {Method.EULER, Method.MIDPOINT, Method.HEUN, Method.RK4}) {
            // 0.07 leaves a short last step before each output time; 0 takes one step per output interval
            for (double step : new double[] {0.07, 0.0}) {
                cases.add(Arguments.of(method, step, GradientProblem.mlp()));
                cases.add(Arguments.of(method, step, GradientProblem.linearBackwardInTime()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, fixedStep {1}, {2}")
    @MethodSource("cases")
    void shouldMatchDirectBackpropThroughTheSameSteps(Method method, double fixedStep, GradientProblem problem) {
        SolverOptions options = SolverOptions.builder(method).fixedStep(fixedStep).build();
        AdjointResult direct = GradientPath.DIRECT.gradient(problem, options);
        AdjointResult whole = GradientPath.CHECKPOINT.gradient(problem, options);
        AdjointResult chunked = GradientPath.CHECKPOINT_EVERY_4_STEPS.gradient(problem, options);
        assertAll(
                () -> assertClose("checkpoint dL/dy0", whole.dLdy0(), direct.dLdy0(), 1e-9),
                () -> assertClose("checkpoint dL/dtheta", whole.dLdTheta(), direct.dLdTheta(), 1e-9),
                () -> assertClose("checkpoint dL/dt", whole.dLdTimes(), direct.dLdTimes(), 1e-9),
                () -> assertClose("chunked dL/dy0", chunked.dLdy0(), direct.dLdy0(), 1e-9),
                () -> assertClose("chunked dL/dtheta", chunked.dLdTheta(), direct.dLdTheta(), 1e-9));
    }

    @ParameterizedTest(name = "{0}, fixedStep {1}, {2}")
    @MethodSource("cases")
    void shouldBeTheExactGradientOfTheDiscreteSolve(Method method, double fixedStep, GradientProblem problem) {
        SolverOptions options = SolverOptions.builder(method).fixedStep(fixedStep).build();
        AdjointResult direct = GradientPath.DIRECT.gradient(problem, options);
        double[][] fd = problem.finiteDifferences(options, 1e-3);
        assertAll(
                () -> assertClose("dL/dy0", direct.dLdy0(), fd[0], 1e-9),
                () -> assertClose("dL/dtheta", direct.dLdTheta(), fd[1], 1e-9));
    }

    private static void assertClose(String what, double[] actual, double[] expected, double tolerance) {
        double error = TestSystems.relativeError(actual, expected);
        assertTrue(error <= tolerance, what + ": relative error " + error);
    }
}
