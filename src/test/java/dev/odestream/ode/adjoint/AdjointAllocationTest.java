package dev.odestream.ode.adjoint;

import dev.odestream.testing.Allocations;
import dev.odestream.ode.Method;
import dev.odestream.ode.SolverOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Once warmed up, the passes allocate nothing: measured with the per-thread allocation counter around repeated calls
 * on MLP dynamics, after enough calls for the JIT to have compiled the hot paths.
 */
class AdjointAllocationTest {

    private static final int WARMUP = 400;
    private static final int MEASURED = 40;
    private static final SolverOptions OPTIONS = SolverOptions.of(Method.DOPRI5, 1e-7, 1e-7);

    private static long allocatedBy(Runnable body) {
        return Allocations.fewestBytes(body, WARMUP, MEASURED);
    }

    @ParameterizedTest
    @EnumSource(AdjointSolver.Mode.class)
    void shouldNotAllocateInTheBackwardPass(AdjointSolver.Mode mode) {
        GradientProblem p = GradientProblem.mlp();
        Buffers b = new Buffers(p);
        AdjointSolver solver = new AdjointSolver(p.f(), OPTIONS, OPTIONS, mode, 5);
        solver.forward(p.times(), p.y0(), b.states);
        assertEquals(0, allocatedBy(() -> solver.backward(p.times(), b.states, p.r(), b.dLdy0, b.dLdTheta,
                b.dLdTimes)));
    }

    @ParameterizedTest
    @EnumSource(AdjointSolver.Mode.class)
    void shouldNotAllocateInTheBufferedGradient(AdjointSolver.Mode mode) {
        GradientProblem p = GradientProblem.mlp();
        Buffers b = new Buffers(p);
        AdjointSolver solver = new AdjointSolver(p.f(), OPTIONS, OPTIONS, mode);
        assertEquals(0, allocatedBy(() -> solver.gradient(p.times(), p.y0(), p.r(), b.dLdy0, b.dLdTheta,
                b.dLdTimes)));
    }

    @Test
    void shouldNotAllocateInDirectBackprop() {
        GradientProblem p = GradientProblem.mlp();
        Buffers b = new Buffers(p);
        DirectBackprop direct = new DirectBackprop(p.f(), OPTIONS);
        assertEquals(0, allocatedBy(() -> {
            direct.forward(p.times(), p.y0(), b.states);
            direct.backward(p.times(), b.states, p.r(), b.dLdy0, b.dLdTheta, b.dLdTimes);
        }));
    }

    /** The record form allocates its result: three arrays, the record and the counters' snapshots. */
    @Test
    void shouldAllocateOnlyTheResultInTheRecordGradient() {
        GradientProblem p = GradientProblem.mlp();
        AdjointSolver solver = new AdjointSolver(p.f(), OPTIONS, OPTIONS, AdjointSolver.Mode.REINTEGRATE);
        long perCall = allocatedBy(() -> solver.gradient(p.times(), p.y0(), p.r())) / MEASURED;
        int n = p.f().dimension();
        long arrays = 8L * (n + p.f().parameterCount() + p.times().length) + 3 * 16;
        assertTrue(perCall <= arrays + 256, "allocated " + perCall + " bytes per call");
    }

    private static final class Buffers {
        final double[][] states;
        final double[] dLdy0;
        final double[] dLdTheta;
        final double[] dLdTimes;

        Buffers(GradientProblem p) {
            int n = p.f().dimension();
            states = new double[p.times().length][n];
            dLdy0 = new double[n];
            dLdTheta = new double[p.f().parameterCount()];
            dLdTimes = new double[p.times().length];
        }
    }
}
