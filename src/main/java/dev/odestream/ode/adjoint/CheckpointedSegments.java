package dev.odestream.ode.adjoint;

import dev.odestream.ode.Finite;
import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.OdeSolverException;
import dev.odestream.ode.ParametricOdeSystem;
import dev.odestream.ode.Trajectory;

/**
 * The discrete adjoint of the steps the forward solver took, segment by segment (the remedy of Chen et al. 2018,
 * section 6, for a backward pass that cannot retrace an unstable forward one). The segment is re-solved from its
 * checkpoint {@code y(t0)} with the forward solver and options, which takes exactly the forward pass's steps because
 * the forward pass also restarted at {@code t0}. Its accepted step boundaries are then replayed in chunks of at most
 * {@code stepsPerCheckpoint} steps, last chunk first, each from the step-boundary state the re-solve recorded, with
 * the stage inputs taped, and back-propagated exactly.
 *
 * <p>Memory: the re-solve's trajectory (one interpolant per step of this segment) plus a tape of one chunk's stages.
 * Allocation-free once the trajectory and the tape have grown to the longest segment.
 */
final class CheckpointedSegments implements SegmentAdjoint {

    private final ParametricOdeSystem f;
    private final OdeSolver solver;
    private final StepTape tape;
    private final RkStepVjp vjp;
    private final int stepsPerCheckpoint;
    private final Counters counters;
    private final double[] y;
    private final Trajectory trajectory = new Trajectory();

    /**
     * @param solver the forward pass's solver (shared: the backward pass runs after it). Not modified.
     * @param stepsPerCheckpoint the most steps taped at once, positive
     * @param counters where re-solves, replays and vector-Jacobian products are counted. Modified.
     */
    CheckpointedSegments(ParametricOdeSystem f, OdeSolver solver, int stepsPerCheckpoint, Counters counters) {
        if (stepsPerCheckpoint < 1) {
            throw new IllegalArgumentException("stepsPerCheckpoint must be >= 1, got " + stepsPerCheckpoint);
        }
        ExplicitStages stages = new ExplicitStages(solver.options().method().tableau());
        this.f = f;
        this.solver = solver;
        this.tape = new StepTape(stages, f);
        this.vjp = new RkStepVjp(stages, f);
        this.stepsPerCheckpoint = stepsPerCheckpoint;
        this.counters = counters;
        this.y = new double[f.dimension()];
    }

    @Override
    public void backward(double t1, double[] y1, double t0, double[] y0, double[] a, double[] dLdTheta) {
        try {
            solver.solve(f, t0, y0, t1, trajectory);
        } catch (OdeSolverException e) {
            throw new BackwardPassException(e.time(), t1, t0, "re-solving the segment: " + e.getMessage(), e);
        } finally {
            counters.add(solver.stats());
        }
        for (int end = trajectory.steps(); end > 0; ) {
            int start = (end - 1) / stepsPerCheckpoint * stepsPerCheckpoint;
            replay(start, end);
            counters.addEvaluations(tape.backprop(vjp, 0, tape.steps(), a, dLdTheta));
            end = start;
        }
        if (!Finite.all(a) || !Finite.all(dLdTheta)) {
            throw new BackwardPassException(t0, t1, t0, "non-finite adjoint or parameter gradient", null);
        }
    }

    /** Retakes steps {@code [start, end)} onto a cleared tape. */
    private void replay(int start, int end) {
        tape.clear();
        long before = tape.evaluations();
        trajectory.stateAt(trajectory.time(start), y);
        for (int m = start; m < end; m++) {
            tape.step(trajectory.time(m), trajectory.time(m + 1) - trajectory.time(m), y);
        }
        counters.addEvaluations(tape.evaluations() - before);
    }
}
