package dev.odestream.ode;

/**
 * Live counters of the last solver call, reset at the start of each call. Reading them allocates nothing;
 * {@link #snapshot()} copies them into the immutable {@link SolveStatistics}.
 */
public final class SolveCounters {

    private long nfe;
    private int accepted;
    private int rejected;

    SolveCounters() {
    }

    /** @return derivative evaluations so far. */
    public long nfe() {
        return nfe;
    }

    /** @return accepted steps so far. */
    public int accepted() {
        return accepted;
    }

    /** @return rejected step attempts so far. */
    public int rejected() {
        return rejected;
    }

    /** @return the step attempts so far, accepted or not. */
    public int attempts() {
        return accepted + rejected;
    }

    /** @return an immutable copy of the counters. */
    public SolveStatistics snapshot() {
        return new SolveStatistics(nfe, accepted, rejected);
    }

    void reset() {
        nfe = 0;
        accepted = 0;
        rejected = 0;
    }

    void countEvaluation() {
        nfe++;
    }

    void countAccepted() {
        accepted++;
    }

    void countRejected() {
        rejected++;
    }

    @Override
    public String toString() {
        return "SolveCounters[nfe=" + nfe + ", accepted=" + accepted + ", rejected=" + rejected + "]";
    }
}
