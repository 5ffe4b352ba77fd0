package dev.odestream.ode.adjoint;

import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.ParametricOdeSystem;
import dev.odestream.ode.SolveStatistics;
import dev.odestream.ode.SolverOptions;

/**
 * Gradients through an ODE solve by the adjoint method (Chen et al. 2018, Algorithm 1, with the jumps of
 * Appendix C at every output time): given {@code y_0}, output times {@code t_0 .. t_N} (strictly monotone, either
 * direction) and {@code dL/dy(t_i)}, it returns {@code dL/dy_0}, {@code dL/dtheta} and every {@code dL/dt_i}.
 *
 * <p>Two ways to know {@code y} on the backward pass ({@link Mode}):
 * <ul>
 *   <li>{@link Mode#REINTEGRATE}: {@code [y, a, dL/dtheta]} integrated backward by an {@link OdeSolver}, with
 *       {@code y} reset to the stored forward value at each output time; memory independent of the step count.</li>
 *   <li>{@link Mode#CHECKPOINT}: the backward pass re-solves each segment from its forward state and
 *       back-propagates exactly through the steps taken (a discrete adjoint), optionally taping at most
 *       {@code stepsPerCheckpoint} steps at once. Memory grows with the steps of one segment; the gradient is exact
 *       for the computed forward solution.</li>
 * </ul>
 *
 * <p>In both modes {@link #forward} restarts the solver at every output time, so every output is a step's end
 * rather than an interpolated value (dense output is less accurate than the steps, and for DOPRI8 it is only cubic)
 * and a segment re-solved from its start takes the very same steps. The price is a first-step selection per
 * segment, which {@link SolverOptions#carryStep()} turns into the step the previous segment proposed. Where the
 * output times are many and close (a batch on a union grid), {@link #forwardThrough} solves them in one pass with
 * dense output instead ({@link Mode#REINTEGRATE} only: its backward pass needs the outputs, not the steps).
 *
 * <p>Usual use: {@link #forward}, compute the loss and {@code dL/dy(t_i)} from its output, then {@link #backward}.
 * {@link #gradient} does both when {@code dL/dy} is known beforehand. Models that interleave ODE segments with other
 * operations (an ODE-RNN's jumps) call {@link #forwardSegment} and {@link #backwardSegment} instead.
 *
 * <p>Workspaces are allocated at construction, or grow on first use with longer segments than before; after that
 * {@link #forward}, {@link #backward} and the segment calls allocate nothing, nor does the buffer form of
 * {@link #gradient} while the number of output times stays the same. The dynamics' dimension must stay what it was
 * at construction. Not thread-safe.
 */
public final class AdjointSolver {

    /** How the backward pass recovers the state {@code y}. */
    public enum Mode {
        /** Integrate {@code y} backward alongside the adjoint (the paper's Algorithm 1). */
        REINTEGRATE,
        /** Re-solve each segment from its forward checkpoint and back-propagate through its steps. */
        CHECKPOINT
    }

    private final ParametricOdeSystem f;
    private final Mode mode;
    private final int n;
    private final OdeSolver forwardSolver;
    private final SegmentAdjoint segments;
    private final Counters forwardCounters = new Counters();
    private final Counters backwardCounters = new Counters();
    private final double[] work;
    private double[][] states = new double[0][];

    /**
     * An adjoint solver that tapes whole segments in {@link Mode#CHECKPOINT}.
     *
     * @see #AdjointSolver(ParametricOdeSystem, SolverOptions, SolverOptions, Mode, int)
     */
    public AdjointSolver(ParametricOdeSystem f, SolverOptions forward, SolverOptions backward, Mode mode) {
        this(f, forward, backward, mode, Integer.MAX_VALUE);
    }

    /**
     * @param f the dynamics; its dimension is fixed from here on. Not modified.
     * @param forward options of the forward solve (and of the re-solves in {@link Mode#CHECKPOINT})
     * @param backward options of the backward augmented solve in {@link Mode#REINTEGRATE}, whose state has
     *                 {@code 2n + p} components (tolerance vectors, if any, must have that length); its error norm
     *                 always leaves out the {@code p} parameter components. Unused (may be null) in
     *                 {@link Mode#CHECKPOINT}.
     * @param mode how the backward pass recovers {@code y}
     * @param stepsPerCheckpoint in {@link Mode#CHECKPOINT}, the most steps taped at once; positive
     */
    public AdjointSolver(ParametricOdeSystem f, SolverOptions forward, SolverOptions backward, Mode mode,
                         int stepsPerCheckpoint) {
        this.f = f;
        this.mode = mode;
        this.n = f.dimension();
        this.forwardSolver = new OdeSolver(n, forward);
        this.segments = mode == Mode.REINTEGRATE
                ? new ReintegratedSegments(f, backward, backwardCounters)
                : new CheckpointedSegments(f, forwardSolver, stepsPerCheckpoint, backwardCounters);
        this.work = new double[n];
    }

    /**
     * Solves forward and reports the state at every output time.
     *
     * @param times output times {@code t_0 .. t_N}, strictly monotone; {@code y(t_0) = y0}. Not modified.
     * @param y0 the initial state. Not modified.
     * @param out {@code out[i]} receives {@code y(t_i)}; {@code out[0]} gets a copy of {@code y0}. Modified.
     * @throws dev.odestream.ode.OdeSolverException if the solver cannot reach the last time
     */
    public void forward(double[] times, double[] y0, double[][] out) {
        checkDimension();
        OutputJumps.check(times, n, out, "out");
        OutputJumps.checkLength(y0, n, "y0");
        System.arraycopy(y0, 0, out[0], 0, n);
        for (int i = 1; i < times.length; i++) {
            forwardSegment(times[i - 1], out[i - 1], times[i], out[i]);
        }
    }

    /**
     * Solves one segment forward, the way {@link #backwardSegment} expects it to have been solved.
     *
     * @param y0 the state at {@code t0}. Not modified.
     * @param y1 receives {@code y(t1)}; may be {@code y0}. Modified.
     * @throws dev.odestream.ode.OdeSolverException if the solver cannot reach {@code t1}
     */
    public void forwardSegment(double t0, double[] y0, double t1, double[] y1) {
        checkDimension();
        try {
            forwardSolver.integrate(f, t0, y0, t1, y1);
        } finally {
            forwardCounters.add(forwardSolver.stats());
        }
    }

    /**
     * Solves forward through the output times {@code times[from .. to - 1]} in one pass, answering them by the
     * steps' dense output rather than restarting at each: the steps are the dynamics' own, not cut at every output.
     * The outputs agree with those of {@link #forwardSegment} calls to the solver's tolerance (for DOPRI5, whose
     * interpolant is of order 4, at about the tolerance), and {@link #backwardSegment} may then carry the adjoint
     * back over each {@code [times[i - 1], times[i]]} from them. {@link Mode#REINTEGRATE} only.
     *
     * @param y0 the state at {@code t0}. Not modified.
     * @param times output times; those in {@code [from, to)} strictly monotone away from {@code t0}. Not modified.
     * @param out {@code out[i]} receives {@code y(times[i])} for {@code from <= i < to}; must not hold {@code y0}
     *     among those rows. Modified.
     * @throws IllegalStateException in {@link Mode#CHECKPOINT}, whose backward pass re-solves segment by segment and
     *     must see the very steps the forward pass took
     * @throws dev.odestream.ode.OdeSolverException if the solver cannot reach the last time
     */
    public void forwardThrough(double t0, double[] y0, double[] times, int from, int to, double[][] out) {
        checkDimension();
        if (mode != Mode.REINTEGRATE) {
            throw new IllegalStateException("forwardThrough needs Mode.REINTEGRATE, this solver is " + mode);
        }
        try {
            forwardSolver.integrate(f, t0, y0, times, from, to, out);
        } finally {
            forwardCounters.add(forwardSolver.stats());
        }
    }

    /**
     * The backward pass over all output times, after {@link #forward}.
     *
     * @param times the forward pass's output times. Not modified.
     * @param states the forward pass's output. Not modified.
     * @param dLdy {@code dL/dy(t_i)} for every output time. Not modified.
     * @param dLdy0 receives {@code dL/dy_0}; it carries the adjoint during the pass, so it must not alias
     *              {@code dLdy}. Modified.
     * @param dLdTheta receives {@code dL/dtheta} (overwritten, not accumulated). Modified.
     * @param dLdTimes receives {@code dL/dt_i}, length {@code N + 1}. Modified.
     * @throws dev.odestream.ode.OdeSolverException if a backward solve fails or the adjoint becomes non-finite
     */
    public void backward(double[] times, double[][] states, double[][] dLdy, double[] dLdy0, double[] dLdTheta,
                         double[] dLdTimes) {
        checkDimension();
        OutputJumps.check(times, n, states, "states");
        OutputJumps.checkRows(times.length, n, dLdy, "dLdy");
        checkGradientBuffers(times.length, dLdy0, dLdTheta, dLdTimes);
        int evaluations = OutputJumps.backward(segments, f, times, states, dLdy, work, dLdy0, dLdTheta, dLdTimes);
        backwardCounters.addEvaluations(evaluations);
    }

    /**
     * Carries the adjoint back over one segment that {@link #forwardSegment} solved, adding the segment's share of
     * {@code dL/dtheta}. Jumps at either end are the caller's.
     *
     * @param y1 {@code y(t1)}, where the backward pass starts. Not modified.
     * @param y0 {@code y(t0)}: the checkpoint the segment is re-solved from in {@link Mode#CHECKPOINT}; not read in
     *           {@link Mode#REINTEGRATE}, which recovers {@code y} from {@code y1}. Not modified.
     * @param a on entry {@code a(t1) = dL/dy(t1)}, on exit {@code a(t0)}. Modified.
     * @param dLdTheta the segment's share is added. Modified.
     * @throws dev.odestream.ode.OdeSolverException if the backward solve fails or the adjoint becomes non-finite
     */
    public void backwardSegment(double t1, double[] y1, double t0, double[] y0, double[] a, double[] dLdTheta) {
        checkDimension();
        OutputJumps.checkLength(y1, n, "y1");
        OutputJumps.checkLength(y0, n, "y0");
        OutputJumps.checkLength(a, n, "a");
        OutputJumps.checkLength(dLdTheta, f.parameterCount(), "dLdTheta");
        segments.backward(t1, y1, t0, y0, a, dLdTheta);
    }

    /**
     * Forward and backward in one call, into the caller's buffers.
     *
     * @param times output times, strictly monotone. Not modified.
     * @param y0 the initial state. Not modified.
     * @param dLdy {@code dL/dy(t_i)} for every output time. Not modified.
     * @param dLdy0 receives {@code dL/dy_0}. Modified.
     * @param dLdTheta receives {@code dL/dtheta}. Modified.
     * @param dLdTimes receives {@code dL/dt_i}. Modified.
     */
    public void gradient(double[] times, double[] y0, double[][] dLdy, double[] dLdy0, double[] dLdTheta,
                         double[] dLdTimes) {
        ensureStates(times.length);
        forward(times, y0, states);
        backward(times, states, dLdy, dLdy0, dLdTheta, dLdTimes);
    }

    /**
     * Forward and backward in one call, with the gradients and the passes' counters in a new record.
     *
     * @see #gradient(double[], double[], double[][], double[], double[], double[])
     */
    public AdjointResult gradient(double[] times, double[] y0, double[][] dLdy) {
        SolveStatistics forwardBefore = forwardCounters.snapshot();
        SolveStatistics backwardBefore = backwardCounters.snapshot();
        double[] dLdy0 = new double[n];
        double[] dLdTheta = new double[f.parameterCount()];
        double[] dLdTimes = new double[times.length];
        gradient(times, y0, dLdy, dLdy0, dLdTheta, dLdTimes);
        return new AdjointResult(dLdy0, dLdTheta, dLdTimes, forwardCounters.since(forwardBefore),
                backwardCounters.since(backwardBefore));
    }

    /** @return forward-pass counters since construction. */
    public SolveStatistics forwardStatistics() {
        return forwardCounters.snapshot();
    }

    /** @return backward-pass counters since construction (see {@link AdjointResult#backwardStats()}). */
    public SolveStatistics backwardStatistics() {
        return backwardCounters.snapshot();
    }

    /** @return how the backward pass recovers {@code y}. */
    public Mode mode() {
        return mode;
    }

    /** Resizes the internal forward output to {@code count} rows, keeping the rows it already has. */
    private void ensureStates(int count) {
        if (states.length != count) {
            double[][] resized = java.util.Arrays.copyOf(states, count);
            for (int i = states.length; i < count; i++) {
                resized[i] = new double[n];
            }
            states = resized;
        }
    }

    private void checkDimension() {
        if (f.dimension() != n) {
            throw new IllegalStateException("the dynamics' dimension changed from " + n + " to " + f.dimension());
        }
    }

    private void checkGradientBuffers(int count, double[] dLdy0, double[] dLdTheta, double[] dLdTimes) {
        OutputJumps.checkLength(dLdy0, n, "dLdy0");
        OutputJumps.checkLength(dLdTheta, f.parameterCount(), "dLdTheta");
        OutputJumps.checkLength(dLdTimes, count, "dLdTimes");
    }
}
