package dev.odestream.bench;

import dev.odestream.nn.Activation;
import dev.odestream.nn.Initializers;
import dev.odestream.nn.MlpDynamics;
import dev.odestream.nn.Parameters;
import dev.odestream.ode.Method;
import dev.odestream.ode.SolverOptions;
import dev.odestream.ode.adjoint.AdjointResult;
import dev.odestream.ode.adjoint.AdjointSolver;
import dev.odestream.ode.adjoint.DirectBackprop;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Peak heap of one gradient against the number of solver steps: the adjoint with re-integration (mode a, constant
 * memory) against direct backprop through the steps (memory linear in the steps), and the checkpointed adjoint with
 * its tape bounded to 100 steps. Used heap after a full GC resolves about 0.1 MB, so only the growth is meaningful. The workload is MLP dynamics (batch 16, latent 4, hidden 20: a state of 64) under
 * RK4 with a fixed step, so the step count is exact.
 *
 * <p>The figure is the heap still reachable from the gradient engine after one full forward + backward call, measured
 * as used heap after a full GC minus a baseline: the workspaces and tapes only grow, so this is their peak size.
 */
final class AdjointMemory {

    private static final int[] STEPS = {100, 1_000, 10_000, 100_000};
    private static final double SPAN = 10.0;

    private AdjointMemory() {
    }

    static void run() {
        Table table = new Table("steps", "adjoint, re-integrate (MB)", "adjoint, checkpoint every 100 (MB)",
                "direct backprop (MB)");
        for (int steps : STEPS) {
            double reintegrate = retainedMegabytes(() -> adjoint(steps, AdjointSolver.Mode.REINTEGRATE));
            double checkpoint = retainedMegabytes(() -> adjoint(steps, AdjointSolver.Mode.CHECKPOINT));
            double direct = retainedMegabytes(() -> direct(steps));
            table.row(steps, Table.fmt(reintegrate, 3), Table.fmt(checkpoint, 3), Table.fmt(direct, 3));
        }
        table.print("Peak heap of one gradient against steps (MLP dynamics, state 64, RK4 fixed step)");
    }

    private static MlpDynamics dynamics() {
        Parameters params = new Parameters();
        MlpDynamics f = new MlpDynamics(params, "f", 4, new int[] {20}, Activation.TANH, 16);
        Initializers.glorotWeightsZeroBiases(params, 3L);
        return f;
    }

    private static SolverOptions rk4(int steps) {
        return SolverOptions.builder(Method.RK4).fixedStep(SPAN / steps).build();
    }

    private static Object adjoint(int steps, AdjointSolver.Mode mode) {
        MlpDynamics f = dynamics();
        AdjointSolver solver = new AdjointSolver(f, rk4(steps), rk4(steps), mode, 100);
        requireFinite(solver.gradient(times(), start(f), cotangents(f)));
        return solver;
    }

    private static Object direct(int steps) {
        MlpDynamics f = dynamics();
        DirectBackprop backprop = new DirectBackprop(f, rk4(steps));
        requireFinite(backprop.gradient(times(), start(f), cotangents(f)));
        return backprop;
    }

    private static double[] times() {
        return new double[] {0.0, SPAN / 2, SPAN};
    }

    private static double[] start(MlpDynamics f) {
        return new SplittableRandom(5L).doubles(f.dimension(), -1, 1).toArray();
    }

    private static double[][] cotangents(MlpDynamics f) {
        SplittableRandom rng = new SplittableRandom(9L);
        double[][] dLdy = new double[3][];
        for (int i = 0; i < 3; i++) {
            dLdy[i] = rng.doubles(f.dimension(), -1, 1).toArray();
        }
        return dLdy;
    }

    private static void requireFinite(AdjointResult result) {
        for (double g : result.dLdTheta()) {
            if (!Double.isFinite(g)) {
                throw new IllegalStateException("non-finite gradient");
            }
        }
    }

    /** Used heap after GC while the engine is held, minus used heap after GC once it is released. */
    private static double retainedMegabytes(Supplier<Object> engine) {
        Object held = engine.get();
        long with = usedAfterGc();
        held = null;
        long without = usedAfterGc();
        return Math.max(0, with - without) / 1e6;
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
