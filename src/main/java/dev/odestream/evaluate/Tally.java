package dev.odestream.evaluate;

import dev.odestream.stream.Event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The running sums of one forecaster's scores; {@link #values} and {@link #events} turn them into metrics. */
final class Tally {

    private final List<String> names;
    private final double unitMs;
    private final long[] scored;
    private final long[] skipped;
    private final double[] squares;
    private final double[] absolutes;
    private final double[] nlls;
    private final double[] crpss;
    private final long[][] covered;
    private final long[] pit = new long[EventMetrics.PIT_BINS];
    private double[] pitValues = new double[64];
    private long eventsSkipped;
    private double eventNll;

    Tally(List<String> names, double unitMs) {
        this.names = names;
        this.unitMs = unitMs;
        int n = names.size();
        scored = new long[n];
        skipped = new long[n];
        squares = new double[n];
        absolutes = new double[n];
        nlls = new double[n];
        crpss = new double[n];
        covered = new long[n][Gaussian.CENTRAL_Z.length];
    }

    /** Scores a forecast against the event it predicted. */
    void add(Forecast forecast, Event event) {
        if (forecast.dimension() != names.size()) {
            throw new IllegalStateException("a forecast of dimension " + forecast.dimension() + " for data of "
                    + names.size());
        }
        double[] values = event.values();
        for (int d = 0; d < event.dimension(); d++) {
            if (event.isPresent(d) && forecast.predicts(d)) {
                addValue(d, values[d], forecast.mean(d), forecast.std(d));
            } else if (event.isPresent(d)) {
                skipped[d]++;
            }
        }
        addEvent(forecast);
    }

    private void addValue(int d, double x, double mean, double std) {
        double error = x - mean;
        scored[d]++;
        squares[d] += error * error;
        absolutes[d] += Math.abs(error);
        nlls[d] += Gaussian.nll(x, mean, std);
        crpss[d] += Gaussian.crps(x, mean, std);
        for (int i = 0; i < Gaussian.CENTRAL_Z.length; i++) {
            covered[d][i] += Math.abs(error) <= Gaussian.CENTRAL_Z[i] * std ? 1 : 0;
        }
    }

    private void addEvent(Forecast forecast) {
        if (!forecast.predictsEvents()) {
            eventsSkipped++;
            return;
        }
        eventNll -= Math.log(forecast.intensity() * unitMs) - forecast.cumulativeIntensity();
        double u = Math.exp(-forecast.cumulativeIntensity());
        long n = sum(pit);
        if (n == pitValues.length) {
            pitValues = Arrays.copyOf(pitValues, 2 * pitValues.length);
        }
        pitValues[(int) n] = u;
        pit[Math.min(EventMetrics.PIT_BINS - 1, (int) (u * EventMetrics.PIT_BINS))]++;
    }

    ValueMetrics values() {
        long n = sum(scored);
        List<ValueMetrics.Dimension> dims = new ArrayList<>();
        for (int d = 0; d < names.size(); d++) {
            dims.add(new ValueMetrics.Dimension(names.get(d), scored[d], skipped[d], Math.sqrt(squares[d] / scored[d]),
                    absolutes[d] / scored[d], nlls[d] / scored[d], covered[d][1] / (double) scored[d]));
        }
        return new ValueMetrics(n, sum(skipped), Math.sqrt(sum(squares) / n), sum(absolutes) / n, sum(nlls) / n,
                sum(crpss) / n, coverage(0, n), coverage(1, n), coverage(2, n), dims);
    }

    EventMetrics events() {
        long n = sum(pit);
        double expected = n / (double) EventMetrics.PIT_BINS;
        double maxDeviation = 0;
        double chiSquare = 0;
        for (long count : pit) {
            maxDeviation = Math.max(maxDeviation, Math.abs(count / (double) n - 1.0 / EventMetrics.PIT_BINS));
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        return new EventMetrics(n, eventsSkipped, eventNll / n, Arrays.stream(pit).boxed().toList(),
                n > 0 ? maxDeviation : Double.NaN, n > 0 ? chiSquare : Double.NaN,
                EventMetrics.ksUniform(Arrays.copyOf(pitValues, (int) n)));
    }

    private double coverage(int level, long n) {
        long inside = 0;
        for (long[] c : covered) {
            inside += c[level];
        }
        return inside / (double) n;
    }

    private static long sum(long[] a) {
        return Arrays.stream(a).sum();
    }

    private static double sum(double[] a) {
        return Arrays.stream(a).sum();
    }
}
