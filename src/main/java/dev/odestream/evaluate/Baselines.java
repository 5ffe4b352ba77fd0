package dev.odestream.evaluate;

import dev.odestream.stream.Event;

import java.util.Arrays;
import java.util.List;

/**
 * The trivial forecasts every model must beat (the floor of docs: "Real data"). Each is per series, one step ahead, and
 * computed from the series' own past with a {@link Prior} pooled from the training parts as its starting spread or
 * rate. A dimension the series has not observed yet is skipped. The value baselines predict no event times, and the
 * Poisson baseline no values.
 * <ul>
 *   <li>{@link #lastValue}: the last observed value of each dimension. Its error is the next change, so its std is
 *       the root mean square of the series' changes between consecutive observed values (a random walk's step),
 *       shrunk towards the prior change variance.</li>
 *   <li>{@link #ewma}: an exponentially weighted mean over observations (not over time, since gaps run from days to
 *       years), with {@link #EWMA_ALPHA}, starting at the first value. Its variance is an EWMA, with the same
 *       weight, of its squared one-step errors, starting at the prior change variance.</li>
 *   <li>{@link #runningMean}: the mean of the series' observed values; its std is their running std (n - 1
 *       degrees of freedom), shrunk towards the prior within-series variance. It ignores the forecast mean's own
 *       uncertainty, which is small next to the values' spread once there are a few.</li>
 *   <li>{@link #poisson}: a homogeneous Poisson process at the series' running rate, its events after the first over
 *       its span, with one prior event over {@code 1 / priorRate}: {@code (n - 1 + 1) / (span + 1 / priorRate)}.
 *       So its first forecast uses the pooled rate.</li>
 * </ul>
 */
public final class Baselines {

    /** The EWMA's weight of the newest observation, fixed a priori (an effective memory of about 5 events). */
    public static final double EWMA_ALPHA = 0.3;

    private Baselines() {
    }

    /**
     * @return the four baselines in the order of the table, or only {@link #poisson} for data of point events only
     *     (dimension 0), where the value baselines would score nothing
     */
    public static List<Forecaster> all(Prior prior) {
        if (prior.dimension() == 0) {
            return List.of(poisson(prior));
        }
        return List.of(lastValue(prior), ewma(prior, EWMA_ALPHA), runningMean(prior), poisson(prior));
    }

    /** @return the last observed value, with the std of the series' changes. */
    public static Forecaster lastValue(Prior prior) {
        return named("last-value", () -> new ValueSeries(prior.dimension()) {
            private final RunningSquares[] changes = RunningSquares.array(prior.dimension());

            @Override
            void update(int d, double x) {
                if (count[d] > 0) {
                    changes[d].add(x - level[d]);
                }
                level[d] = x;
            }

            @Override
            double variance(int d) {
                return Prior.shrunk(changes[d].sum, changes[d].count, prior.changeVariance(d));
            }
        });
    }

    /** @return an exponentially weighted mean with weight {@code alpha} on the newest observation. */
    public static Forecaster ewma(Prior prior, double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        }
        return named("ewma", () -> new ValueSeries(prior.dimension()) {
            private final double[] errorVariance = prior.changeVariance();

            @Override
            void update(int d, double x) {
                if (count[d] == 0) {
                    level[d] = x;
                    return;
                }
                double error = x - level[d];
                errorVariance[d] = Double.isNaN(errorVariance[d]) ? error * error
                        : (1 - alpha) * errorVariance[d] + alpha * error * error;
                level[d] += alpha * error;
            }

            @Override
            double variance(int d) {
                return errorVariance[d];
            }
        });
    }

    /** @return the series' running mean, with its running std. */
    public static Forecaster runningMean(Prior prior) {
        return named("running-mean", () -> new ValueSeries(prior.dimension()) {
            private final RunningMoments[] moments = moments(prior.dimension());

            @Override
            void update(int d, double x) {
                moments[d].add(x);
                level[d] = moments[d].mean();
            }

            @Override
            double variance(int d) {
                return Prior.shrunk(moments[d].squares(), moments[d].count() - 1, prior.valueVariance(d));
            }
        });
    }

    /** @return a homogeneous Poisson process at the series' running rate. */
    public static Forecaster poisson(Prior prior) {
        return named("poisson-rate", () -> new Forecaster.Series() {
            private long first = Long.MIN_VALUE;
            private long last;
            private long events;

            @Override
            public Forecast at(long timeMs) {
                double rate = rate();
                return Double.isNaN(rate) ? Forecast.ofEvents(prior.dimension(), Double.NaN, Double.NaN)
                        : Forecast.ofEvents(prior.dimension(), rate, rate * (timeMs - last));
            }

            private double rate() {
                long span = last - first;
                if (Double.isFinite(prior.ratePerMs()) && prior.ratePerMs() > 0) {
                    return events / (span + 1 / prior.ratePerMs());
                }
                return span > 0 ? (events - 1) / (double) span : Double.NaN;
            }

            @Override
            public void observe(Event event) {
                first = events == 0 ? event.timeMs() : first;
                last = event.timeMs();
                events++;
            }
        });
    }

    private static Forecaster named(String name, java.util.function.Supplier<Forecaster.Series> open) {
        return new Forecaster() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Series open() {
                return open.get();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static RunningMoments[] moments(int dimension) {
        RunningMoments[] m = new RunningMoments[dimension];
        Arrays.setAll(m, d -> new RunningMoments());
        return m;
    }

    /** A per-dimension level and variance, updated from each observed value; unobserved dimensions are skipped. */
    private abstract static class ValueSeries implements Forecaster.Series {
        final double[] level;
        final long[] count;

        ValueSeries(int dimension) {
            level = new double[dimension];
            count = new long[dimension];
        }

        /** Folds in value {@code x} of dimension {@code d}; {@code count[d]} is the number seen before it. */
        abstract void update(int d, double x);

        abstract double variance(int d);

        @Override
        public Forecast at(long timeMs) {
            double[] mean = new double[level.length];
            double[] std = new double[level.length];
            for (int d = 0; d < level.length; d++) {
                double variance = count[d] > 0 ? variance(d) : Double.NaN;
                boolean usable = variance > 0 && Double.isFinite(variance);
                mean[d] = usable ? level[d] : Double.NaN;
                std[d] = usable ? Math.sqrt(variance) : Double.NaN;
            }
            return Forecast.ofValues(mean, std);
        }

        @Override
        public void observe(Event event) {
            double[] values = event.values();
            for (int d = 0; d < Math.min(event.dimension(), level.length); d++) {
                if (event.isPresent(d)) {
                    update(d, values[d]);
                    count[d]++;
                }
            }
        }
    }

    /** A running sum of squares and its count. */
    private static final class RunningSquares {
        double sum;
        long count;

        void add(double x) {
            sum += x * x;
            count++;
        }

        static RunningSquares[] array(int dimension) {
            RunningSquares[] s = new RunningSquares[dimension];
            Arrays.setAll(s, d -> new RunningSquares());
            return s;
        }
    }
}
