package dev.odestream.evaluate;

import java.util.List;

/**
 * How well a forecaster predicted when the test events came. For a test event at {@code t} after the series' last
 * event, with intensity {@code lambda(t)} and cumulative intensity {@code Lambda(t)} since that event, the
 * log-likelihood of its time is {@code log lambda(t) - Lambda(t)}, and {@code exp(-Lambda(t))}, the predicted
 * probability of no event before it, is its PIT: uniform on (0, 1) if the forecaster is calibrated. A metric with
 * nothing scored is NaN.
 *
 * @param scored the test events scored
 * @param skipped the test events the forecaster gave no intensity for
 * @param nll the event-time negative log-likelihood, mean per event, with intensities per {@code intensityUnit}
 *     of the scoreboard (changing the unit shifts it by a constant, the same for every forecaster)
 * @param pitHistogram counts of the PIT in ten bins of width 0.1, from [0, 0.1) to [0.9, 1]
 * @param pitMaxDeviation the largest gap between a bin's share and 0.1
 * @param pitChiSquare Pearson's chi-square of the histogram against uniform, 9 degrees of freedom (5% critical value
 *     16.92; an approximation when fewer than about 50 events are scored)
 * @param pitKs the Kolmogorov-Smirnov distance of the PIT values from uniform: the largest gap between their
 *     empirical distribution function and {@code u}, 0 for a perfect fit (at 5%, uniform PITs stay below about
 *     {@code 1.36 / sqrt(scored)})
 */
public record EventMetrics(long scored, long skipped, double nll, List<Long> pitHistogram, double pitMaxDeviation,
        double pitChiSquare, double pitKs) {

    /** The number of PIT bins. */
    public static final int PIT_BINS = 10;

    /**
     * The Kolmogorov-Smirnov distance of a sample from the uniform law on (0, 1).
     *
     * @param u the sample, each in [0, 1]. Not modified.
     * @return {@code sup_u |F_n(u) - u|}; NaN for an empty sample
     */
    public static double ksUniform(double[] u) {
        if (u.length == 0) {
            return Double.NaN;
        }
        double[] sorted = u.clone();
        java.util.Arrays.sort(sorted);
        double d = 0;
        int n = sorted.length;
        for (int i = 0; i < n; i++) {
            d = Math.max(d, Math.max((i + 1) / (double) n - sorted[i], sorted[i] - i / (double) n));
        }
        return d;
    }

    /** Copies the histogram. */
    public EventMetrics {
        pitHistogram = List.copyOf(pitHistogram);
    }
}
