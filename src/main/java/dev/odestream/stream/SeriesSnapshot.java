package dev.odestream.stream;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the {@code series-state} store keeps for one series, immutable: the encoder state after every event, a ring
 * of the most recent events in time order, and the encoder state just before the ring (its <em>base</em>), from
 * which the ring can be replayed.
 *
 * <p>The live state is {@code base + replay(ring)}: its event count is {@code baseCount + ring.size()} and its last
 * event time is that of the ring's last event, so neither is stored. An event that arrives out of order is inserted
 * into the ring and the series replayed from the base, which gives bit for bit the state that in-order arrival would
 * have. {@code baseBoundMs} is the time of the newest event that has left the ring: nothing older can be inserted.
 * After a model change the base is a fresh state ({@code baseCount == 0}) and the ring is all the new model sees.
 *
 * @param modelVersion the model version that computed {@code hidden} and {@code baseHidden}
 * @param events events this series has accepted, ever (forecasts carry it)
 * @param baseBoundMs time of the newest event that has left the ring, or {@link #NO_BOUND}
 * @param baseCount events folded into {@code baseHidden}
 * @param baseHidden encoder state before the ring's first event (all zero when {@code baseCount == 0})
 * @param hidden encoder state after the ring's last event
 * @param ring the most recent events, oldest first, in time order (ties in arrival order)
 */
public record SeriesSnapshot(long modelVersion, long events, long baseBoundMs, long baseCount, double[] baseHidden,
                             double[] hidden, List<Event> ring) {

    /** {@link #baseBoundMs()} when no event has left the ring yet. */
    public static final long NO_BOUND = Long.MIN_VALUE;

    /** Checks the invariants and copies. */
    public SeriesSnapshot {
        Objects.requireNonNull(ring, "ring");
        ring = List.copyOf(ring);
        baseHidden = baseHidden.clone();
        hidden = hidden.clone();
        check(baseHidden.length == hidden.length, "base and live hidden states differ in length");
        check(baseCount >= 0 && events >= baseCount + ring.size(), "counts: events " + events + ", base "
                + baseCount + ", ring " + ring.size());
        check(baseCount == 0 || baseBoundMs != NO_BOUND, "a base with events needs a bound");
        for (int i = 1; i < ring.size(); i++) {
            check(ring.get(i - 1).timeMs() <= ring.get(i).timeMs(), "ring not in time order at " + i);
        }
        check(ring.isEmpty() || baseBoundMs == NO_BOUND || ring.getFirst().timeMs() >= baseBoundMs,
                "ring starts before its bound");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("inconsistent series snapshot: " + message);
        }
    }

    /** @return events folded into the live state: {@code baseCount + ring.size()}. */
    public long count() {
        return baseCount + ring.size();
    }

    /** @return the last event time, epoch milliseconds; only when the ring is not empty. */
    public long lastTimeMs() {
        return ring.getLast().timeMs();
    }

    @Override
    public double[] baseHidden() {
        return baseHidden.clone();
    }

    @Override
    public double[] hidden() {
        return hidden.clone();
    }

    /** @return the encoder hidden size. */
    public int hiddenSize() {
        return hidden.length;
    }

    /** @param out receives the live hidden state. Modified. */
    public void copyHidden(double[] out) {
        System.arraycopy(hidden, 0, out, 0, hidden.length);
    }

    /** @param out receives the base hidden state. Modified. */
    public void copyBaseHidden(double[] out) {
        System.arraycopy(baseHidden, 0, out, 0, baseHidden.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesSnapshot s && modelVersion == s.modelVersion && events == s.events
                && baseBoundMs == s.baseBoundMs && baseCount == s.baseCount && Arrays.equals(baseHidden, s.baseHidden)
                && Arrays.equals(hidden, s.hidden) && ring.equals(s.ring);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(modelVersion, events, baseBoundMs, baseCount, ring);
        return (h * 31 + Arrays.hashCode(baseHidden)) * 31 + Arrays.hashCode(hidden);
    }

    @Override
    public String toString() {
        return "SeriesSnapshot[modelVersion=" + modelVersion + ", events=" + events + ", baseBoundMs=" + baseBoundMs
                + ", baseCount=" + baseCount + ", ring=" + ring.size() + " events, hidden="
                + Arrays.toString(hidden) + "]";
    }
}
