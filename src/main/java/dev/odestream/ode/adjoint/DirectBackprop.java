package dev.odestream.ode.adjoint;

import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.ParametricOdeSystem;
import dev.odestream.ode.SolveStatistics;
import dev.odestream.ode.SolverOptions;
import dev.odestream.ode.Trajectory;

import java.util.Arrays;

/**
 * Back-propagation through every step of one forward solve (the discrete adjoint): the forward pass tapes the stage
 * inputs of all steps of all segments, and the backward pass runs through them in reverse, with the same jumps and
 * time gradients as {@link AdjointSolver}. Memory grows with the total step count, so this is the reference for
 * tests and a cheap path for short, fixed-step solves.
 *
 * <p>The solver restarts at every output time, as in {@link AdjointSolver.Mode#CHECKPOINT}. It exposes no stage
 * values, so each segment is solved once to fix its steps and then replayed onto the tape; the output is the replay.
 *
 * <p>Buffers grow to the longest solve seen and are reused; after that, {@link #forward} and {@link #backward}
 * allocate nothing. Not thread-safe.
 */
public final class DirectBackprop {

    private final ParametricOdeSystem f;
    private final int n;
    private final OdeSolver solver;
    private final StepTape tape;
    private final RkStepVjp vjp;
    private final Trajectory trajectory = new Trajectory();
    private final SegmentAdjoint taped = this::backwardThroughTape;
    private final Counters forwardCounters = new Counters();
    private final Counters backwardCounters = new Counters();
    private final double[] work;
    private int[] segmentEnd = new int[0];
    private double[] tapedTimes = new double[0];
    private int segments;
    private int cursor;

    /**
     * @param f the dynamics; its dimension is fixed from here on. Not modified.
     * @param options the forward solve's options
     */
    public DirectBackprop(ParametricOdeSystem f, SolverOptions options) {
        ExplicitStages stages = new ExplicitStages(options.method().tableau());
        this.f = f;
        this.n = f.dimension();
        this.solver = new OdeSolver(n, options);
        this.tape = new StepTape(stages, f);
        this.vjp = new RkStepVjp(stages, f);
        this.work = new double[n];
    }

    /**
     * Solves forward, taping every step.
     *
     * @param times output times, strictly monotone; {@code y(t_0) = y0}. Not modified.
     * @param y0 the initial state. Not modified.
     * @param out {@code out[i]} receives {@code y(t_i)}. Modified.
     * @throws dev.odestream.ode.OdeSolverException if the solver cannot reach the last time
     */
    public void forward(double[] times, double[] y0, double[][] out) {
        OutputJumps.check(times, n, out, "out");
        OutputJumps.checkLength(y0, n, "y0");
        ensureSegments(times.length);
        System.arraycopy(times, 0, tapedTimes, 0, times.length);
        segments = times.length - 1;
        tape.clear();
        System.arraycopy(y0, 0, out[0], 0, n);
        for (int i = 1; i < times.length; i++) {
            System.arraycopy(out[i - 1], 0, out[i], 0, n);
            tapeSegment(times[i - 1], times[i], out[i]);
            segmentEnd[i] = tape.steps();
        }
    }

    /** Fixes the segment's steps with the solver, then retakes them onto the tape; {@code y} advances. */
    private void tapeSegment(double t0, double t1, double[] y) {
        try {
            solver.solve(f, t0, y, t1, trajectory);
        } finally {
            forwardCounters.add(solver.stats());
        }
        long before = tape.evaluations();
        for (int m = 0; m < trajectory.steps(); m++) {
            tape.step(trajectory.time(m), trajectory.time(m + 1) - trajectory.time(m), y);
        }
        forwardCounters.addEvaluations(tape.evaluations() - before);
    }

    /**
     * Back-propagates through the taped steps of the last {@link #forward}.
     *
     * @param times the times given to {@link #forward}. Not modified.
     * @param states the output of {@link #forward}. Not modified.
     * @param dLdy {@code dL/dy(t_i)} for every output time. Not modified.
     * @param dLdy0 receives {@code dL/dy_0}. Modified.
     * @param dLdTheta receives {@code dL/dtheta}. Modified.
     * @param dLdTimes receives {@code dL/dt_i}. Modified.
     * @throws IllegalStateException if {@code times} are not those of the last forward pass
     */
    public void backward(double[] times, double[][] states, double[][] dLdy, double[] dLdy0, double[] dLdTheta,
                         double[] dLdTimes) {
        if (times.length != segments + 1 || !Arrays.equals(times, 0, times.length, tapedTimes, 0, times.length)) {
            throw new IllegalStateException("backward must follow forward on the same times");
        }
        OutputJumps.checkRows(times.length, n, states, "states");
        OutputJumps.checkRows(times.length, n, dLdy, "dLdy");
        OutputJumps.checkLength(dLdy0, n, "dLdy0");
        OutputJumps.checkLength(dLdTheta, f.parameterCount(), "dLdTheta");
        OutputJumps.checkLength(dLdTimes, times.length, "dLdTimes");
        cursor = segments;
        backwardCounters.addEvaluations(
                OutputJumps.backward(taped, f, times, states, dLdy, work, dLdy0, dLdTheta, dLdTimes));
    }

    /** Segments come back last first, as the tape was written. */
    private void backwardThroughTape(double t1, double[] y1, double t0, double[] y0, double[] a, double[] dLdTheta) {
        int vjps = tape.backprop(vjp, segmentEnd[cursor - 1], segmentEnd[cursor], a, dLdTheta);
        backwardCounters.addEvaluations(vjps);
        cursor--;
    }

    /**
     * Forward and backward in one call.
     *
     * @param times output times, strictly monotone. Not modified.
     * @param y0 the initial state. Not modified.
     * @param dLdy {@code dL/dy(t_i)} for every output time. Not modified.
     * @return the gradients and the passes' counters
     */
    public AdjointResult gradient(double[] times, double[] y0, double[][] dLdy) {
        SolveStatistics forwardBefore = forwardCounters.snapshot();
        SolveStatistics backwardBefore = backwardCounters.snapshot();
        double[][] states = new double[times.length][n];
        forward(times, y0, states);
        double[] dLdy0 = new double[n];
        double[] dLdTheta = new double[f.parameterCount()];
        double[] dLdTimes = new double[times.length];
        backward(times, states, dLdy, dLdy0, dLdTheta, dLdTimes);
        return new AdjointResult(dLdy0, dLdTheta, dLdTimes, forwardCounters.since(forwardBefore),
                backwardCounters.since(backwardBefore));
    }

    /** @return the number of steps on the tape. */
    public int tapedSteps() {
        return tape.steps();
    }

    private void ensureSegments(int count) {
        if (segmentEnd.length < count) {
            segmentEnd = new int[count];
            tapedTimes = new double[count];
        }
    }
}
