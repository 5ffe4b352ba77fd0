package dev.odestream.stream;

import dev.odestream.ode.Finite;

import java.util.Arrays;
import java.util.Objects;

/**
 * A series' event intensity at one time, as published on the {@code intensities} topic (key: the series id) and
 * described by {@code schemas/intensity.schema.json}. On each accepted event {@code timeMs == tauMs}: the intensity
 * right after the event, with nothing expected yet.
 *
 * @param series the series id
 * @param modelVersion the model version that produced it
 * @param tauMs the last event time the posterior sits at, epoch milliseconds
 * @param timeMs when the intensity is evaluated, not before {@code tauMs}
 * @param eventCount events the series has accepted so far
 * @param lambda {@code lambda_k(time)} per event type
 * @param expectedCount expected number of type-{@code k} events in {@code (tau, time]}
 * @param pNoEvent probability of no event of any type in {@code (tau, time]}
 * @param source whether the model version or, with no model yet, the baseline produced it
 */
public record IntensityRecord(String series, long modelVersion, long tauMs, long timeMs, long eventCount,
                              double[] lambda, double[] expectedCount, double pNoEvent, Source source) {

    /** An intensity by the model version. */
    public IntensityRecord(String series, long modelVersion, long tauMs, long timeMs, long eventCount,
                           double[] lambda, double[] expectedCount, double pNoEvent) {
        this(series, modelVersion, tauMs, timeMs, eventCount, lambda, expectedCount, pNoEvent, Source.MODEL);
    }

    /** Checks and copies. */
    public IntensityRecord {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(source, "source");
        lambda = lambda.clone();
        expectedCount = expectedCount.clone();
    }

    @Override
    public double[] lambda() {
        return lambda.clone();
    }

    @Override
    public double[] expectedCount() {
        return expectedCount.clone();
    }

    /** @return whether every number is finite, which JSON requires. */
    public boolean isFinite() {
        return Double.isFinite(pNoEvent) && Finite.all(lambda) && Finite.all(expectedCount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntensityRecord r && series.equals(r.series) && modelVersion == r.modelVersion
                && tauMs == r.tauMs && timeMs == r.timeMs && eventCount == r.eventCount
                && source == r.source && Double.compare(pNoEvent, r.pNoEvent) == 0 && Arrays.equals(lambda, r.lambda)
                && Arrays.equals(expectedCount, r.expectedCount);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(series, modelVersion, tauMs, timeMs, eventCount, pNoEvent, source);
        return (h * 31 + Arrays.hashCode(lambda)) * 31 + Arrays.hashCode(expectedCount);
    }

    @Override
    public String toString() {
        return "IntensityRecord[series=" + series + ", modelVersion=" + modelVersion + ", tauMs=" + tauMs
                + ", timeMs=" + timeMs + ", eventCount=" + eventCount + ", lambda=" + Arrays.toString(lambda)
                + ", expectedCount=" + Arrays.toString(expectedCount) + ", pNoEvent=" + pNoEvent + ", source=" + source
                + "]";
    }
}
