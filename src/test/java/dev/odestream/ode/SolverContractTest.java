package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method on every {@link TestProblem}, forward and backward in time, against the exact solution. Adaptive
 * methods must stay within a fixed multiple of the tolerance at two tolerances a thousand times apart; fixed-step
 * methods within a fixed multiple of {@code h^order}. (The sharp checks of the orders themselves are in
 * {@link ConvergenceOrderTest}.)
 */
class SolverContractTest {

    /** Global error over a whole interval may exceed the per-step tolerance by accumulation; 1000x is generous. */
    private static final double TOLERANCE_MULTIPLE = 1000;
    private static final double FIXED_STEP_CONSTANT = 1000;
    private static final int FIXED_STEPS = 2000;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Method method : Method.values()) {
            for (TestProblem problem : TestProblem.all()) {
                cases.add(Arguments.of(method, problem, true));
                cases.add(Arguments.of(method, problem, false));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} {1} forward={2}")
    @MethodSource("cases")
    void shouldMatchExactSolution(Method method, TestProblem problem, boolean forward) {
        if (method.adaptive()) {
            for (double tol : new double[] {1e-6, 1e-9}) {
                double error = solve(problem, forward, SolverOptions.of(method, tol, tol));
                assertTrue(error <= TOLERANCE_MULTIPLE * tol,
                        () -> method + " on " + problem + " at tol " + tol + ": error " + error);
            }
        } else {
            double h = Math.abs(problem.t1() - problem.t0()) / FIXED_STEPS;
            double error = solve(problem, forward, SolverOptions.builder(method).fixedStep(h).build());
            double bound = FIXED_STEP_CONSTANT * Math.pow(h, method.tableau().order());
            assertTrue(error <= bound, () -> method + " on " + problem + ": error " + error + " > " + bound);
        }
    }

    private static double solve(TestProblem problem, boolean forward, SolverOptions options) {
        double from = forward ? problem.t0() : problem.t1();
        double to = forward ? problem.t1() : problem.t0();
        double[] y = new double[problem.dimension()];
        new OdeSolver(problem.dimension(), options).integrate(problem, from, problem.exact(from), to, y);
        return Errors.scaled(y, problem.exact(to));
    }
}
