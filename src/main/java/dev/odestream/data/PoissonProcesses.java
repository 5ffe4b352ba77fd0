package dev.odestream.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * Samples and scores inhomogeneous Poisson processes with a known {@link Intensity}.
 *
 * <p>Sampling is thinning (Lewis and Shedler 1979): candidates from a homogeneous process at the bound
 * {@code lambda_max} are kept with probability {@code lambda(t) / lambda_max}. Scoring follows from the
 * likelihood of a Poisson process on {@code [0, T]}: {@code log L = sum_e log lambda(t_e) - Lambda(T)}, and from the
 * time-rescaling theorem: the increments {@code Lambda(t_{i+1}) - Lambda(t_i)} of a correct model are i.i.d.
 * {@code Exp(1)}, which {@link #exponentialKsStatistic} tests.
 */
public final class PoissonProcesses {

    private static final long SEQUENCE_STREAM = 0x504f_4953L;

    private PoissonProcesses() {
    }

    /**
     * Samples the event times on {@code [0, horizon]} by thinning.
     *
     * @param intensity the rate. Not modified.
     * @param horizon {@code T}, positive.
     * @param rng the source of randomness. Modified (advanced).
     * @return the event times, strictly increasing.
     * @throws IllegalStateException if the intensity exceeds its own {@code maxRate} bound.
     */
    public static double[] sample(Intensity intensity, double horizon, Random rng) {
        double bound = intensity.maxRate(0, horizon);
        if (!(bound > 0) || !Double.isFinite(bound)) {
            throw new IllegalArgumentException("intensity bound must be positive and finite, got " + bound);
        }
        double[] events = new double[16];
        int count = 0;
        double t = Seeds.exponential(rng, bound);
        while (t <= horizon) {
            if (accept(intensity, t, bound, rng)) {
                events = count == events.length ? Arrays.copyOf(events, 2 * count) : events;
                events[count++] = t;
            }
            t += Seeds.exponential(rng, bound);
        }
        return Arrays.copyOf(events, count);
    }

    private static boolean accept(Intensity intensity, double t, double bound, Random rng) {
        double rate = intensity.rate(t);
        if (rate > bound) {
            throw new IllegalStateException("lambda(" + t + ") = " + rate + " exceeds its bound " + bound);
        }
        return rng.nextDouble() * bound < rate;
    }

    /** Samples one sequence with a generator seeded by {@code seed}; equal to {@code sampleMany(..., seed).get(0)}. */
    public static double[] sample(Intensity intensity, double horizon, long seed) {
        return sample(intensity, horizon, Seeds.forItem(seed, SEQUENCE_STREAM, 0));
    }

    /**
     * Samples {@code count} independent sequences; sequence {@code i} is the same for any {@code count > i}.
     *
     * @return the sequences, each strictly increasing.
     */
    public static List<double[]> sampleMany(Intensity intensity, double horizon, int count, long seed) {
        List<double[]> sequences = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sequences.add(sample(intensity, horizon, Seeds.forItem(seed, SEQUENCE_STREAM, i)));
        }
        return sequences;
    }

    /**
     * The log-likelihood {@code sum_e log lambda(t_e) - Lambda(T) + Lambda(0)} of events on {@code [0, T]}.
     *
     * @param events event times in {@code [0, horizon]}. Not modified.
     */
    public static double logLikelihood(Intensity intensity, double[] events, double horizon) {
        double sum = 0;
        for (double t : events) {
            sum += Math.log(intensity.rate(t));
        }
        return sum - (intensity.cumulative(horizon) - intensity.cumulative(0));
    }

    /**
     * The homogeneous-Poisson baseline: the log-likelihood per event of the maximum-likelihood constant rate
     * {@code N / T} on the same data, which is {@code log(N / T) - 1}. Pool sequences by passing the total count and
     * the total observed time.
     *
     * @param eventCount {@code N}, positive.
     * @param totalTime {@code T}, positive.
     */
    public static double homogeneousLogLikelihoodPerEvent(long eventCount, double totalTime) {
        if (eventCount <= 0 || !(totalTime > 0)) {
            throw new IllegalArgumentException("need a positive event count and time");
        }
        return Math.log(eventCount / totalTime) - 1;
    }

    /**
     * The time-rescaled intervals {@code Lambda(t_1) - Lambda(0), Lambda(t_2) - Lambda(t_1), ...}: i.i.d.
     * {@code Exp(1)} when {@code intensity} is the true one.
     *
     * @param events strictly increasing event times. Not modified.
     */
    public static double[] rescaledIntervals(Intensity intensity, double[] events) {
        double[] intervals = new double[events.length];
        double previous = intensity.cumulative(0);
        for (int i = 0; i < events.length; i++) {
            double current = intensity.cumulative(events[i]);
            intervals[i] = current - previous;
            previous = current;
        }
        return intervals;
    }

    /**
     * The Kolmogorov-Smirnov statistic {@code sup |F_n(x) - (1 - exp(-x))|} of a sample against {@code Exp(1)}. At
     * level 0.01 the critical value is about {@code 1.63 / sqrt(n)} for large {@code n}.
     *
     * @param samples the sample. Not modified.
     */
    public static double exponentialKsStatistic(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double cdf = -Math.expm1(-sorted[i]);
            d = Math.max(d, Math.max((i + 1.0) / n - cdf, cdf - (double) i / n));
        }
        return d;
    }

    /**
     * The relative L2 error {@code ||learned - lambda|| / ||lambda||} over {@code [0, horizon]}, by composite
     * Simpson quadrature on {@code 2 * halfIntervals} panels.
     *
     * @param learned the estimate to score.
     * @param truth the true intensity.
     * @param halfIntervals half the number of Simpson panels, positive.
     */
    public static double relativeL2(DoubleUnaryOperator learned, Intensity truth, double horizon,
                                    int halfIntervals) {
        DoubleUnaryOperator error = t -> square(learned.applyAsDouble(t) - truth.rate(t));
        DoubleUnaryOperator norm = t -> square(truth.rate(t));
        return Math.sqrt(simpson(error, horizon, halfIntervals) / simpson(norm, horizon, halfIntervals));
    }

    private static double simpson(DoubleUnaryOperator f, double horizon, int halfIntervals) {
        int panels = 2 * halfIntervals;
        double h = horizon / panels;
        double sum = f.applyAsDouble(0) + f.applyAsDouble(horizon);
        for (int i = 1; i < panels; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(i * h);
        }
        return sum * h / 3;
    }

    private static double square(double x) {
        return x * x;
    }
}
