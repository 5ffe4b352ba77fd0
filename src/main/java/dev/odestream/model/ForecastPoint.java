package dev.odestream.model;

import java.util.Arrays;

/**
 * The forecast at one query time, as an immutable value: what {@link Forecast#point(int)} copies out for callers off
 * the hot path. Arrays are copied in and out.
 *
 * @param time the query time {@code t}
 * @param mean forecast mean of each observed dimension, length {@code D}
 * @param std forecast standard deviation of each dimension (spread across samples and observation noise)
 * @param intensity {@code lambda_k(t)}, mean over samples, length {@code K}
 * @param expectedCount {@code E[Lambda_k(t)]}, the expected number of type-{@code k} events in {@code (tau, t]}
 * @param probabilityNoEvent probability of no event of any type in {@code (tau, t]}
 */
public record ForecastPoint(double time, double[] mean, double[] std, double[] intensity, double[] expectedCount,
                            double probabilityNoEvent) {

    public ForecastPoint {
        mean = mean.clone();
        std = std.clone();
        intensity = intensity.clone();
        expectedCount = expectedCount.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public double[] intensity() {
        return intensity.clone();
    }

    @Override
    public double[] expectedCount() {
        return expectedCount.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForecastPoint p && Double.compare(p.time, time) == 0
                && Double.compare(p.probabilityNoEvent, probabilityNoEvent) == 0 && Arrays.equals(p.mean, mean)
                && Arrays.equals(p.std, std) && Arrays.equals(p.intensity, intensity)
                && Arrays.equals(p.expectedCount, expectedCount);
    }

    @Override
    public int hashCode() {
        int h = Double.hashCode(time) * 31 + Double.hashCode(probabilityNoEvent);
        h = h * 31 + Arrays.hashCode(mean);
        h = h * 31 + Arrays.hashCode(std);
        h = h * 31 + Arrays.hashCode(intensity);
        return h * 31 + Arrays.hashCode(expectedCount);
    }

    @Override
    public String toString() {
        return "ForecastPoint[time=" + time + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + ", intensity=" + Arrays.toString(intensity) + ", expectedCount=" + Arrays.toString(expectedCount)
                + ", probabilityNoEvent=" + probabilityNoEvent + "]";
    }
}
