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
 * <p>Two fields serve the idle-series punctuator and readers of the store: {@code seenAtMs}, the wall-clock time at
 * which the series last accepted an event (idleness and expiry are measured from it, so that replaying old data does
 * not make fresh series look idle), and {@code intensity}, the intensity {@code lambda_k} and the expected count
 * {@code Lambda_k} since the last event, per event type, at the time they were last evaluated (the last event, or a
 * later idle check).
 *
 * @param modelVersion the model version that computed {@code hidden} and {@code baseHidden}
 * @param events events this series has accepted, ever (forecasts carry it)
 * @param baseBoundMs time of the newest event that has left the ring, or {@link #NO_BOUND}
 * @param baseCount events folded into {@code baseHidden}
 * @param baseHidden encoder state before the ring's first event (all zero when {@code baseCount == 0})
 * @param hidden encoder state after the ring's last event
 * @param ring the most recent events, oldest first, in time order (ties in arrival order)
 * @param seenAtMs wall-clock time of the last accepted event, epoch milliseconds, or {@link #NEVER} when unknown
 *     (a snapshot stored by format 1)
 * @param intensity the intensity computed by {@code modelVersion} at the last evaluation, or {@code null} when none
 *     is known (the forecast failed, the series was re-encoded since, or format 1 stored it)
 */
public record SeriesSnapshot(long modelVersion, long events, long baseBoundMs, long baseCount, double[] baseHidden,
                             double[] hidden, List<Event> ring, long seenAtMs, LastIntensity intensity) {

    /** {@link #baseBoundMs()} when no event has left the ring yet. */
    public static final long NO_BOUND = Long.MIN_VALUE;
    /** {@link #seenAtMs()} when the wall-clock time of the last event is unknown. */
    public static final long NEVER = Long.MIN_VALUE;

    /**
     * The intensity of a series at one time after its last event {@code tau}.
     *
     * @param timeMs when it was evaluated, epoch milliseconds, not before {@code tau}
     * @param lambda {@code lambda_k(time)} per event type
     * @param expectedCount {@code Lambda_k}: expected type-{@code k} events in {@code (tau, time]}, per event type
     */
    public record LastIntensity(long timeMs, double[] lambda, double[] expectedCount) {

        /** Checks and copies. */
        public LastIntensity {
            lambda = lambda.clone();
            expectedCount = expectedCount.clone();
            if (lambda.length != expectedCount.length || lambda.length == 0 || lambda.length > 65_535) {
                throw new IllegalArgumentException("need as many expected counts as intensities, 1 to 65535, got "
                        + lambda.length + " and " + expectedCount.length);
            }
        }

        /** @return the number of event types. */
        public int eventTypes() {
            return lambda.length;
        }

        @Override
        public double[] lambda() {
            return lambda.clone();
        }

        @Override
        public double[] expectedCount() {
            return expectedCount.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LastIntensity i && timeMs == i.timeMs && Arrays.equals(lambda, i.lambda)
                    && Arrays.equals(expectedCount, i.expectedCount);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(timeMs) * 31 + Arrays.hashCode(lambda)) * 31 + Arrays.hashCode(expectedCount);
        }

        @Override
        public String toString() {
            return "LastIntensity[timeMs=" + timeMs + ", lambda=" + Arrays.toString(lambda) + ", expectedCount="
                    + Arrays.toString(expectedCount) + "]";
        }
    }

    /** A snapshot with no wall-clock time and no intensity yet, as the model builds it. */
    public SeriesSnapshot(long modelVersion, long events, long baseBoundMs, long baseCount, double[] baseHidden,
                          double[] hidden, List<Event> ring) {
        this(modelVersion, events, baseBoundMs, baseCount, baseHidden, hidden, ring, NEVER, null);
    }

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
        check(intensity == null || (!ring.isEmpty() && intensity.timeMs() >= ring.getLast().timeMs()),
                "intensity evaluated before the last event");
    }

    /** @return this snapshot with the wall-clock time of its last event. */
    public SeriesSnapshot withSeenAt(long wallClockMs) {
        return new SeriesSnapshot(modelVersion, events, baseBoundMs, baseCount, baseHidden, hidden, ring, wallClockMs,
                intensity);
    }

    /** @return this snapshot with an intensity computed by its model version, or none. */
    public SeriesSnapshot withIntensity(LastIntensity newIntensity) {
        return new SeriesSnapshot(modelVersion, events, baseBoundMs, baseCount, baseHidden, hidden, ring, seenAtMs,
                newIntensity);
    }

    /** @return when the series last accepted an event by the wall clock, or else its last event time. */
    public long lastActivityMs() {
        return seenAtMs != NEVER ? seenAtMs : lastTimeMs();
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
                && Arrays.equals(hidden, s.hidden) && ring.equals(s.ring) && seenAtMs == s.seenAtMs
                && Objects.equals(intensity, s.intensity);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(modelVersion, events, baseBoundMs, baseCount, ring, seenAtMs, intensity);
        return (h * 31 + Arrays.hashCode(baseHidden)) * 31 + Arrays.hashCode(hidden);
    }

    @Override
    public String toString() {
        return "SeriesSnapshot[modelVersion=" + modelVersion + ", events=" + events + ", baseBoundMs=" + baseBoundMs
                + ", baseCount=" + baseCount + ", ring=" + ring.size() + " events, hidden="
                + Arrays.toString(hidden) + ", seenAtMs=" + seenAtMs + ", intensity=" + intensity + "]";
    }
}
