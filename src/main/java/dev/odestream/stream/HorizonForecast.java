package dev.odestream.stream;

import dev.odestream.ode.Finite;

import java.util.Arrays;

/**
 * The forecast at one time after {@code tau}: the mean and spread of the observation, the intensity of each event
 * type, the expected number of events of each type in {@code (tau, time]}, and the probability of none at all there.
 * Arrays are copied in and out.
 *
 * @param timeMs the query time, epoch milliseconds
 * @param mean forecast mean per observed dimension
 * @param std forecast standard deviation per observed dimension
 * @param lambda intensity {@code lambda_k(time)} per event type
 * @param expectedCount expected number of type-{@code k} events in {@code (tau, time]}
 * @param pNoEvent probability of no event of any type in {@code (tau, time]}
 */
public record HorizonForecast(long timeMs, double[] mean, double[] std, double[] lambda, double[] expectedCount,
                              double pNoEvent) {

    /** Copies the arrays. */
    public HorizonForecast {
        mean = mean.clone();
        std = std.clone();
        lambda = lambda.clone();
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
    public double[] lambda() {
        return lambda.clone();
    }

    @Override
    public double[] expectedCount() {
        return expectedCount.clone();
    }

    /** @return whether every number is finite, which JSON requires. */
    public boolean isFinite() {
        return Double.isFinite(pNoEvent) && Finite.all(mean) && Finite.all(std) && Finite.all(lambda)
                && Finite.all(expectedCount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HorizonForecast h && timeMs == h.timeMs && Double.compare(pNoEvent, h.pNoEvent) == 0
                && Arrays.equals(mean, h.mean) && Arrays.equals(std, h.std) && Arrays.equals(lambda, h.lambda)
                && Arrays.equals(expectedCount, h.expectedCount);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(timeMs) * 31 + Double.hashCode(pNoEvent);
        h = h * 31 + Arrays.hashCode(mean);
        h = h * 31 + Arrays.hashCode(std);
        h = h * 31 + Arrays.hashCode(lambda);
        return h * 31 + Arrays.hashCode(expectedCount);
    }

    @Override
    public String toString() {
        return "HorizonForecast[timeMs=" + timeMs + ", mean=" + Arrays.toString(mean) + ", std="
                + Arrays.toString(std) + ", lambda=" + Arrays.toString(lambda) + ", expectedCount="
                + Arrays.toString(expectedCount) + ", pNoEvent=" + pNoEvent + "]";
    }
}
