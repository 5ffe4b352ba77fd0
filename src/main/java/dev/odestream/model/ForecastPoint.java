package dev.odestream.model;

import dev.odestream.ode.Finite;

import java.util.Arrays;

/**
 * The forecast at one query time, as an immutable value: what {@link Forecast#point(int)} copies out for callers off
 * the hot path, and what the engine publishes per horizon. Arrays are copied in and out.
 *
 * <p>The time is on the axis of whoever asked: model time as {@link Forecast} fills it, epoch milliseconds once the
 * engine has put the point on the wall clock ({@link #withTime}). Epoch milliseconds are whole numbers far below
 * {@code 2^53}, so a double holds them exactly.
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

    /** Copies the arrays. */
    public ForecastPoint {
        mean = mean.clone();
        std = std.clone();
        intensity = intensity.clone();
        expectedCount = expectedCount.clone();
    }

    /** @return the same forecast at the same instant, given on another time axis. */
    public ForecastPoint withTime(double time) {
        return new ForecastPoint(time, mean, std, intensity, expectedCount, probabilityNoEvent);
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

    /** @return whether every number is finite, which JSON requires. */
    public boolean isFinite() {
        return Double.isFinite(time) && Double.isFinite(probabilityNoEvent) && Finite.all(mean) && Finite.all(std)
                && Finite.all(intensity) && Finite.all(expectedCount);
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
