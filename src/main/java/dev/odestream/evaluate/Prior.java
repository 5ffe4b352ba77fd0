package dev.odestream.evaluate;

import dev.odestream.stream.Event;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * What the baselines assume about a series before it has shown much of itself, pooled over the training parts of
 * every series (never the validation or test parts). Each baseline's spread and rate is a running estimate that
 * starts at this prior with the weight of one observation, so the first forecasts of a series are usable Gaussians
 * and rates, and a series' own history soon dominates. A NaN prior (nothing to pool) gives no such start: the baseline
 * then skips until the series has its own estimate.
 *
 * @param valueVariance per dimension, the within-series variance of the values (deviations from each series' mean)
 * @param changeVariance per dimension, the mean square of the change between consecutive observed values of a series
 * @param ratePerMs the events per millisecond: events after each series' first, over the series' spans
 */
public record Prior(double[] valueVariance, double[] changeVariance, double ratePerMs) {

    /** Checks the shapes and copies the arrays. */
    public Prior {
        if (valueVariance.length != changeVariance.length) {
            throw new IllegalArgumentException("value and change variances differ in dimension");
        }
        valueVariance = valueVariance.clone();
        changeVariance = changeVariance.clone();
    }

    /**
     * Pools the training parts.
     *
     * @param training the training part of each series, each sorted by time
     * @param dimension the data's dimension
     */
    public static Prior fit(Collection<List<Event>> training, int dimension) {
        double[] value = new double[dimension];
        double[] change = new double[dimension];
        for (int d = 0; d < dimension; d++) {
            value[d] = pooledValueVariance(training, d);
            change[d] = pooledChangeVariance(training, d);
        }
        long gaps = 0;
        long span = 0;
        for (List<Event> series : training) {
            gaps += series.size() - 1;
            span += series.getLast().timeMs() - series.getFirst().timeMs();
        }
        return new Prior(value, change, span > 0 ? gaps / (double) span : Double.NaN);
    }

    private static double pooledValueVariance(Collection<List<Event>> training, int d) {
        double squares = 0;
        long degrees = 0;
        for (List<Event> series : training) {
            RunningMoments m = new RunningMoments();
            series.stream().filter(e -> e.isPresent(d)).forEach(e -> m.add(e.values()[d]));
            squares += m.squares();
            degrees += Math.max(0, m.count() - 1);
        }
        return degrees > 0 ? squares / degrees : Double.NaN;
    }

    private static double pooledChangeVariance(Collection<List<Event>> training, int d) {
        double squares = 0;
        long changes = 0;
        for (List<Event> series : training) {
            double[] observed = series.stream().filter(e -> e.isPresent(d)).mapToDouble(e -> e.values()[d]).toArray();
            for (int i = 1; i < observed.length; i++) {
                squares += (observed[i] - observed[i - 1]) * (observed[i] - observed[i - 1]);
                changes++;
            }
        }
        return changes > 0 ? squares / changes : Double.NaN;
    }

    /** @return the data's dimension. */
    public int dimension() {
        return valueVariance.length;
    }

    /** @return the prior value variance of dimension {@code d}. */
    public double valueVariance(int d) {
        return valueVariance[d];
    }

    /** @return the prior change variance of dimension {@code d}. */
    public double changeVariance(int d) {
        return changeVariance[d];
    }

    /**
     * Shrinks a series' own estimate towards a prior with the weight of one observation.
     *
     * @param squares the series' sum of squares
     * @param count the number of terms (or degrees of freedom) behind it
     * @param prior the prior variance, or NaN for none
     * @return {@code (squares + prior) / (count + 1)}; without a prior {@code squares / count}, NaN if count is 0
     */
    static double shrunk(double squares, long count, double prior) {
        if (Double.isFinite(prior) && prior > 0) {
            return (squares + prior) / (count + 1);
        }
        return count > 0 ? squares / count : Double.NaN;
    }

    @Override
    public double[] valueVariance() {
        return valueVariance.clone();
    }

    @Override
    public double[] changeVariance() {
        return changeVariance.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prior p && Arrays.equals(valueVariance, p.valueVariance)
                && Arrays.equals(changeVariance, p.changeVariance) && Double.compare(ratePerMs, p.ratePerMs) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(valueVariance) * 31 + Arrays.hashCode(changeVariance) + Double.hashCode(ratePerMs);
    }

    @Override
    public String toString() {
        return "Prior[valueVariance=" + Arrays.toString(valueVariance) + ", changeVariance="
                + Arrays.toString(changeVariance) + ", ratePerMs=" + ratePerMs + "]";
    }
}
