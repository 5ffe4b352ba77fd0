package dev.odestream.stream;

import java.util.Arrays;

/**
 * The limits every on-demand forecast obeys, whether asked over HTTP or on the request topic, so that both answer the
 * same question the same way: at most {@link #MAX_TIMES} times, sorted and without duplicates, none before the
 * series' last event and none more than {@link #MAX_AHEAD_UNITS} model time units after it (a day for a model of one
 * unit per second, 236 years for one of a day per unit). A forecast integrates the latent ODE over the whole span, so
 * an unbounded time would be an unbounded amount of work; the work depends on the span in model units.
 */
public final class ForecastTimes {

    /** The most times one request may ask for. */
    public static final int MAX_TIMES = 64;
    /** The furthest a query time may lie after the series' last event, in model time units. */
    public static final long MAX_AHEAD_UNITS = 86_400L;
    /** One model time unit per second: the unit of a model with no data spec. */
    private static final double SECOND = 1000.0;

    private ForecastTimes() {
    }

    /** {@link #checked(long[], long, double)} for a model of one time unit per second. */
    public static long[] checked(long[] times, long tauMs) {
        return checked(times, tauMs, SECOND);
    }

    /**
     * @param times query times, epoch milliseconds, in any order, at least one. Not modified.
     * @param tauMs the series' last event time
     * @param unitMs milliseconds per model time unit of the model that will answer
     * @return the times sorted, without duplicates
     * @throws IllegalArgumentException saying which time breaks which limit
     */
    public static long[] checked(long[] times, long tauMs, double unitMs) {
        long maxAheadMs = (long) Math.min(Long.MAX_VALUE / 2.0, MAX_AHEAD_UNITS * unitMs);
        if (times.length == 0 || times.length > MAX_TIMES) {
            throw new IllegalArgumentException("give 1 to " + MAX_TIMES + " query times, got " + times.length);
        }
        long[] sorted = Arrays.stream(times).sorted().distinct().toArray();
        if (sorted[0] < tauMs) {
            throw new IllegalArgumentException("query time " + sorted[0] + " is before the series' last event at "
                    + tauMs + "; forecasts start there");
        }
        long last = sorted[sorted.length - 1];
        if (last - tauMs > maxAheadMs || last - tauMs < 0) {
            throw new IllegalArgumentException("query time " + last + " lies more than " + maxAheadMs
                    + " ms (" + MAX_AHEAD_UNITS + " model time units) after the series' last event at " + tauMs);
        }
        return sorted;
    }
}
