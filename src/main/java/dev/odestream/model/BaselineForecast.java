package dev.odestream.model;

import java.util.Arrays;

/**
 * The forecast a series gets while no model exists yet, from its own recent events alone: the floor a first model must
 * beat (docs: "Real data"). Events are folded in oldest first; the forecast is on the same time axis and in the same
 * value units as they were given (the engine gives wall-clock milliseconds and the user's values).
 * <ul>
 *   <li>Each value dimension: an exponentially weighted mean over its observations ({@link #EWMA_ALPHA}, over
 *       observations, not time), whose spread is the EWMA, with the same weight, of its squared one-step errors. With
 *       fewer than two observations the spread is one unit, and it never falls below {@link #MIN_RELATIVE_STD} of
 *       the level, so a constant series still gets a proper Gaussian. A dimension never observed reads as mean 0,
 *       spread 1.</li>
 *   <li>Each event type: a homogeneous Poisson rate, its events after the first over the span of the events seen,
 *       with half an event spread over the types added so that a type not seen yet keeps a small positive rate. With
 *       no span yet the rate is 0 (nothing is known of it).</li>
 * </ul>
 * Not thread-safe; {@link #reset} before folding in another series.
 */
public final class BaselineForecast {

    /** The EWMA's weight of the newest observation (an effective memory of about 5 observations). */
    public static final double EWMA_ALPHA = 0.3;
    /** The smallest spread, relative to {@code max(1, |level|)}. */
    public static final double MIN_RELATIVE_STD = 1e-6;

    private final double[] level;
    private final double[] errorVariance;
    private final long[] observed;
    private final long[] typeCounts;
    private double first;
    private double last;
    private long events;

    /**
     * @param dimension value dimensions
     * @param eventTypes event types, at least 1
     */
    public BaselineForecast(int dimension, int eventTypes) {
        if (dimension < 0 || eventTypes < 1) {
            throw new IllegalArgumentException("need dimension >= 0 and eventTypes >= 1, got " + dimension + ", "
                    + eventTypes);
        }
        level = new double[dimension];
        errorVariance = new double[dimension];
        observed = new long[dimension];
        typeCounts = new long[eventTypes];
    }

    /** Forgets every event. */
    public void reset() {
        Arrays.fill(level, 0);
        Arrays.fill(errorVariance, 0);
        Arrays.fill(observed, 0);
        Arrays.fill(typeCounts, 0);
        events = 0;
    }

    /**
     * Folds in one event, not before the last one.
     *
     * @param time the event time
     * @param values its values, or {@code null} for a point event. Not modified.
     * @param present which values are present, or {@code null} when all are. Not modified.
     * @param type its event type
     */
    public void observe(double time, double[] values, boolean[] present, int type) {
        for (int d = 0; values != null && d < Math.min(level.length, values.length); d++) {
            if (present == null || present[d]) {
                fold(d, values[d]);
            }
        }
        if (events > 0) {
            typeCounts[type]++;
        } else {
            first = time;
        }
        last = time;
        events++;
    }

    private void fold(int d, double x) {
        if (observed[d]++ == 0) {
            level[d] = x;
            return;
        }
        double error = x - level[d];
        errorVariance[d] = observed[d] == 2 ? error * error : (1 - EWMA_ALPHA) * errorVariance[d]
                + EWMA_ALPHA * error * error;
        level[d] += EWMA_ALPHA * error;
    }

    /** @return events folded in. */
    public long events() {
        return events;
    }

    /** @return the forecast mean of dimension {@code d}. */
    public double mean(int d) {
        return observed[d] == 0 ? 0.0 : level[d];
    }

    /** @return the forecast standard deviation of dimension {@code d}. */
    public double std(int d) {
        if (observed[d] < 2) {
            return 1.0;
        }
        return Math.max(Math.sqrt(errorVariance[d]), MIN_RELATIVE_STD * Math.max(1.0, Math.abs(level[d])));
    }

    /** @return the rate of type-{@code k} events per unit of time. */
    public double rate(int k) {
        double span = last - first;
        return events > 0 && span > 0 ? (typeCounts[k] + 0.5 / typeCounts.length) / span : 0.0;
    }

    /**
     * @param time a query time, not before the last event
     * @return the forecast at that time: mean, spread, rates per unit of time, expected counts since the last event,
     *     and the probability of no event since then
     */
    public ForecastPoint point(double time) {
        double[] mean = new double[level.length];
        double[] std = new double[level.length];
        for (int d = 0; d < level.length; d++) {
            mean[d] = mean(d);
            std[d] = std(d);
        }
        double[] rate = new double[typeCounts.length];
        double[] expected = new double[typeCounts.length];
        double total = 0;
        for (int k = 0; k < rate.length; k++) {
            rate[k] = rate(k);
            expected[k] = rate[k] * Math.max(0.0, time - last);
            total += expected[k];
        }
        return new ForecastPoint(time, mean, std, rate, expected, Math.exp(-total));
    }
}
