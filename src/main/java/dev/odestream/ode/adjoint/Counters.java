package dev.odestream.ode.adjoint;

import dev.odestream.ode.SolveCounters;
import dev.odestream.ode.SolveStatistics;

/** Running totals over many solver calls and hand-made steps; adding allocates nothing. */
final class Counters {

    private long evaluations;
    private long accepted;
    private long rejected;

    /** Adds one solver call's counters. */
    void add(SolveCounters stats) {
        evaluations += stats.nfe();
        accepted += stats.accepted();
        rejected += stats.rejected();
    }

    /** Adds evaluations made outside a solver (replays, vector-Jacobian products, time gradients). */
    void addEvaluations(long count) {
        evaluations += count;
    }

    /** @return the totals so far. */
    SolveStatistics snapshot() {
        return new SolveStatistics(evaluations, (int) accepted, (int) rejected);
    }

    /** @return the totals since {@code earlier}, a snapshot of these counters. */
    SolveStatistics since(SolveStatistics earlier) {
        return new SolveStatistics(evaluations - earlier.nfe(), (int) (accepted - earlier.accepted()),
                (int) (rejected - earlier.rejected()));
    }
}
