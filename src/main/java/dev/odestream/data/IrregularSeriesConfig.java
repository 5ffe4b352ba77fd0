package dev.odestream.data;

/**
 * Parameters of the demo workload: many keyed series of irregular events whose values are damped oscillations.
 *
 * <p>Per series, the mean inter-arrival time is {@code meanInterArrival * exp(u)} with {@code u} uniform in
 * {@code [-ln rateSpread, ln rateSpread]}, so keys range from busy to quiet; the angular frequency and the damping
 * rate are uniform in their ranges; each dimension has its own amplitude (uniform in {@code [0.5, 1.5]}) and phase.
 *
 * @param seriesCount number of keys.
 * @param dimension values per event, {@code d >= 1}.
 * @param horizon events lie in {@code (0, horizon]}.
 * @param meanInterArrival typical mean time between events of one series.
 * @param rateSpread factor (at least 1) by which a series' mean inter-arrival time may differ from the typical one.
 * @param minFrequency smallest angular frequency.
 * @param maxFrequency largest angular frequency.
 * @param minDamping smallest exponential decay rate.
 * @param maxDamping largest exponential decay rate.
 * @param noiseStd standard deviation of the Gaussian noise on each value.
 * @param missingProbability chance that one dimension of an event is missing; at least one is always observed.
 */
public record IrregularSeriesConfig(int seriesCount, int dimension, double horizon, double meanInterArrival,
                                    double rateSpread, double minFrequency, double maxFrequency, double minDamping,
                                    double maxDamping, double noiseStd, double missingProbability) {

    /** Validates the parameters. */
    public IrregularSeriesConfig {
        require(seriesCount > 0 && dimension > 0, "need at least one series and one dimension");
        require(horizon > 0 && Double.isFinite(horizon), "horizon must be positive and finite");
        require(meanInterArrival > 0 && rateSpread >= 1 && Double.isFinite(meanInterArrival * rateSpread),
                "need meanInterArrival > 0 and rateSpread >= 1");
        require(0 <= minFrequency && minFrequency <= maxFrequency && Double.isFinite(maxFrequency),
                "need 0 <= minFrequency <= maxFrequency");
        require(0 <= minDamping && minDamping <= maxDamping && Double.isFinite(maxDamping),
                "need 0 <= minDamping <= maxDamping");
        require(noiseStd >= 0 && Double.isFinite(noiseStd), "noiseStd must be finite and non-negative");
        require(missingProbability >= 0 && missingProbability < 1, "missingProbability must be in [0, 1)");
    }

    /**
     * A demo default: 2-d values, 200 time units, one event per time unit on average (spread 3x across keys),
     * periods of about 6 to 30 time units, slow damping, noise 0.05, nothing missing.
     */
    public static IrregularSeriesConfig demo(int seriesCount) {
        return new IrregularSeriesConfig(seriesCount, 2, 200, 1.0, 3.0, 0.2, 1.0, 0.0, 0.01, 0.05, 0.0);
    }

    /**
     * The engine's demo workload: {@link #demo(int)} with {@code dimension} values per event. The demo producer replays
     * it and the demo training experiment learns from it, so the bundled model is trained on the process it is shown
     * on.
     */
    public static IrregularSeriesConfig demo(int seriesCount, int dimension) {
        return demo(seriesCount).withDimension(dimension);
    }

    /** @return a copy with another horizon. */
    public IrregularSeriesConfig withHorizon(double newHorizon) {
        return new IrregularSeriesConfig(seriesCount, dimension, newHorizon, meanInterArrival, rateSpread,
                minFrequency, maxFrequency, minDamping, maxDamping, noiseStd, missingProbability);
    }

    /** @return a copy with another value dimension. */
    public IrregularSeriesConfig withDimension(int d) {
        return new IrregularSeriesConfig(seriesCount, d, horizon, meanInterArrival, rateSpread, minFrequency,
                maxFrequency, minDamping, maxDamping, noiseStd, missingProbability);
    }

    /** @return a copy with another chance of a missing dimension. */
    public IrregularSeriesConfig withMissingProbability(double p) {
        return new IrregularSeriesConfig(seriesCount, dimension, horizon, meanInterArrival, rateSpread,
                minFrequency, maxFrequency, minDamping, maxDamping, noiseStd, p);
    }

    /** @return a copy where every series has the same mean inter-arrival time. */
    public IrregularSeriesConfig withUniformRate(double mean) {
        return new IrregularSeriesConfig(seriesCount, dimension, horizon, mean, 1.0, minFrequency, maxFrequency,
                minDamping, maxDamping, noiseStd, missingProbability);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
