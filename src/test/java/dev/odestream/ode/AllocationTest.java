package dev.odestream.ode;

import dev.odestream.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The promise "no allocation in steady state", measured with the JVM's per-thread allocation counter. Each
 * measurement takes the least of a few tries: a try that overlaps a JIT recompilation or a deoptimisation can see
 * the VM allocate on this thread's behalf, which says nothing about our code; every try allocating would.
 */
class AllocationTest {

    private static final int WARM_UP = 3000;

    private final TestProblem problem = new TestProblem.Kepler();
    private final double[] y0 = problem.exact(0);
    private final double[] y = new double[4];
    private final double[] times = {0, 1, 2, 3, 4, 5, 6};
    private final double[][] out = new double[times.length][4];
    private final EventFunction crossing = (t, state) -> state[0];

    @Test
    void shouldNotAllocateInIntegrate() {
        for (Method method : Method.values()) {
            SolverOptions options = method.adaptive() ? SolverOptions.of(method, 1e-8, 1e-8)
                    : SolverOptions.builder(method).fixedStep(0.05).build();
            OdeSolver solver = new OdeSolver(4, options);
            assertEquals(0, allocatedBytes(() -> solver.integrate(problem, 0, y0, 6, y)), method.toString());
            assertEquals(0, allocatedBytes(() -> solver.integrate(problem, 0, y0, times, out)), method.toString());
            assertEquals(0, allocatedBytes(() -> solver.integrate(problem, 6, y0, 0, y)), method + " backward");
        }
    }

    @Test
    void shouldNotAllocateWhenSolvingIntoAGrownTrajectoryOrQueryingIt() {
        OdeSolver solver = new OdeSolver(4, SolverOptions.builder(Method.DOPRI5).forcedTimes(1.5).build());
        Trajectory trajectory = solver.solve(problem, 0, y0, 6, null);
        assertEquals(0, allocatedBytes(() -> solver.solve(problem, 0, y0, 6, trajectory)));
        assertEquals(0, allocatedBytes(() -> trajectory.stateAt(2.5, y)));
        assertEquals(0, allocatedBytes(() -> trajectory.firstCrossing(crossing, 1e-10)));
        assertEquals(0, allocatedBytes(() -> solver.stats().nfe()));
    }

    private static long allocatedBytes(Runnable call) {
        return Allocations.fewestBytes(call, WARM_UP, 100);
    }
}
