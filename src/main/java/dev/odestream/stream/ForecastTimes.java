package dev.odestream.stream;

import java.util.Arrays;

/**
 * The limits every on-demand forecast obeys, whether asked over HTTP or on the request topic, so that both answer the
 * same question the same way: at most {@link #MAX_TIMES} times, sorted and without duplicates, none before the
 * series' last event and none more than {@link #MAX_AHEAD_MS} after it. A forecast integrates the latent ODE over
 * the whole span, so an unbounded time would be an unbounded amount of work.
 */
public final class ForecastTimes {

    /** The most times one request may ask for. */
    public static final int MAX_TIMES = 64;
    /** The furthest a query time may lie after the series' last event: one day. */
    public static final long MAX_AHEAD_MS = 86_400_000L;

    private ForecastTimes() {
    }

    /**
     * @param times query times, epoch milliseconds, in any order, at least one. Not modified.
     * @param tauMs the series' last event time
     * @return the times sorted, without duplicates
     * @throws IllegalArgumentException saying which time breaks which limit
     */
    public static long[] checked(long[] times, long tauMs) {
        if (times.length == 0 || times.length > MAX_TIMES) {
            throw new IllegalArgumentException("give 1 to " + MAX_TIMES + " query times, got " + times.length);
        }
        long[] sorted = Arrays.stream(times).sorted().distinct().toArray();
        if (sorted[0] < tauMs) {
            throw new IllegalArgumentException("query time " + sorted[0] + " is before the series' last event at "
                    + tauMs + "; forecasts start there");
        }
        long last = sorted[sorted.length - 1];
        if (last - tauMs > MAX_AHEAD_MS || last - tauMs < 0) {
            throw new IllegalArgumentException("query time " + last + " lies more than " + MAX_AHEAD_MS
                    + " ms after the series' last event at " + tauMs);
        }
        return sorted;
    }
}
