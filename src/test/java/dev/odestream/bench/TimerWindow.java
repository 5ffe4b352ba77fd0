package dev.odestream.bench;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Percentiles of a Micrometer timer over an interval, read from its percentile histogram
 * ({@code publishPercentileHistogram}) as the difference of two readings. The histogram must count since the start,
 * as the Prometheus registry's does; the bucket boundaries are Micrometer's (about 1.1 to 1.33 apart), so a
 * percentile is the upper boundary of the bucket it falls in.
 */
public final class TimerWindow {

    private TimerWindow() {
    }

    /**
     * Micrometer's timer histograms start at 1 ms by default, which puts every sub-millisecond update in the first
     * bucket; this filter makes the named timers' histograms run from 1 us to 60 s. Install it on the registry before
     * the timers are registered.
     */
    public static MeterFilter microsecondBuckets(String... names) {
        Set<String> chosen = Set.of(names);
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!chosen.contains(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .minimumExpectedValue((double) Duration.ofNanos(1_000).toNanos())
                        .maximumExpectedValue((double) Duration.ofSeconds(60).toNanos()).build().merge(config);
            }
        };
    }

    /**
     * One reading of a timer.
     *
     * @param count values recorded since the start
     * @param boundsNanos bucket upper boundaries, increasing
     * @param atOrBelow per boundary, values recorded at or below it since the start
     */
    public record Reading(long count, double[] boundsNanos, double[] atOrBelow) {

        /** Copies. */
        public Reading {
            boundsNanos = boundsNanos.clone();
            atOrBelow = atOrBelow.clone();
        }

        /**
         * @param earlier a reading of the same timer taken before this one
         * @param quantile in (0, 1]
         * @return in milliseconds, the upper boundary of the bucket holding that quantile of the values recorded in
         *     between; NaN if none were, +infinity if it lies above the last boundary
         */
        public double millisAt(Reading earlier, double quantile) {
            long n = count - earlier.count;
            if (n <= 0) {
                return Double.NaN;
            }
            double rank = Math.max(1, Math.ceil(quantile * n));
            for (int i = 0; i < boundsNanos.length; i++) {
                if (atOrBelow[i] - earlier.atOrBelow[i] >= rank) {
                    return boundsNanos[i] / 1e6;
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }

    /** @return the timer's counts now. */
    public static Reading read(Timer timer) {
        HistogramSnapshot snapshot = timer.takeSnapshot();
        CountAtBucket[] buckets = snapshot.histogramCounts();
        double[] bounds = new double[buckets.length];
        double[] counts = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = buckets[i].bucket(TimeUnit.NANOSECONDS);
            counts[i] = buckets[i].count();
        }
        return new Reading(snapshot.count(), bounds, counts);
    }
}
