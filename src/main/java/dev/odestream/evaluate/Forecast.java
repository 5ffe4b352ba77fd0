package dev.odestream.evaluate;

import java.util.Arrays;

/**
 * A one-step-ahead prediction for one series at one time: a Gaussian for each value and the event-time quantities.
 * A part a forecaster does not predict is NaN: a value's mean (then its std is ignored), or the intensity and the
 * cumulative intensity together. Immutable: arrays are copied in and out.
 *
 * @param mean the predicted value of each dimension, in the data's units; NaN where not predicted
 * @param std the standard deviation of each dimension, positive where the mean is predicted
 * @param intensity the event rate at the target time, events per millisecond, non-negative; NaN if not predicted
 * @param cumulativeIntensity the expected number of events from the series' last event to the target time,
 *     non-negative, so that {@code exp(-cumulativeIntensity)} is the probability of no event before the target;
 *     NaN exactly when {@code intensity} is
 */
public record Forecast(double[] mean, double[] std, double intensity, double cumulativeIntensity) {

    /** Checks the shapes and ranges, and copies the arrays. */
    public Forecast {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " values, std " + std.length);
        }
        for (int d = 0; d < mean.length; d++) {
            if (!Double.isNaN(mean[d]) && !(Double.isFinite(mean[d]) && std[d] > 0 && Double.isFinite(std[d]))) {
                throw new IllegalArgumentException("dimension " + d + " needs a finite mean and a positive, finite"
                        + " std, got " + mean[d] + " and " + std[d]);
            }
        }
        if (Double.isNaN(intensity) != Double.isNaN(cumulativeIntensity) || intensity < 0
                || cumulativeIntensity < 0) {
            throw new IllegalArgumentException("intensity and cumulative intensity must both be NaN or both"
                    + " non-negative, got " + intensity + " and " + cumulativeIntensity);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** @return a forecast of values only, with no event-time prediction. */
    public static Forecast ofValues(double[] mean, double[] std) {
        return new Forecast(mean, std, Double.NaN, Double.NaN);
    }

    /** @return a forecast of the event time only, for data of the given dimension. */
    public static Forecast ofEvents(int dimension, double intensity, double cumulativeIntensity) {
        double[] none = new double[dimension];
        Arrays.fill(none, Double.NaN);
        return new Forecast(none, none, intensity, cumulativeIntensity);
    }

    /** @return the number of dimensions. */
    public int dimension() {
        return mean.length;
    }

    /** @return whether dimension {@code d} is predicted. */
    public boolean predicts(int d) {
        return !Double.isNaN(mean[d]);
    }

    /** @return whether the event time is predicted. */
    public boolean predictsEvents() {
        return !Double.isNaN(intensity);
    }

    /** @return the predicted mean of dimension {@code d}. */
    public double mean(int d) {
        return mean[d];
    }

    /** @return the predicted std of dimension {@code d}. */
    public double std(int d) {
        return std[d];
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
    public boolean equals(Object o) {
        return o instanceof Forecast f && Arrays.equals(mean, f.mean) && Arrays.equals(std, f.std)
                && Double.compare(intensity, f.intensity) == 0
                && Double.compare(cumulativeIntensity, f.cumulativeIntensity) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std) + Double.hashCode(intensity);
    }

    @Override
    public String toString() {
        return "Forecast[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ", intensity="
                + intensity + ", cumulativeIntensity=" + cumulativeIntensity + "]";
    }
}
