package dev.odestream.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A reusable output holder for {@link LatentOdeModel#forecast}: the forecast at up to {@link #capacity()} query times,
 * sized once so that the forecast call allocates nothing. Element getters read it without allocating;
 * {@link #point(int)} and {@link #points()} copy it into immutable {@link ForecastPoint} records.
 *
 * <p>Contents are valid until the next forecast into the same holder. Not thread-safe.
 */
public final class Forecast {

    private final int capacity;
    private final int dim;
    private final int types;
    final double[] times;
    final double[] mean;
    final double[] std;
    final double[] intensity;
    final double[] expectedCount;
    final double[] probabilityNoEvent;
    int size;
    double origin = Double.NaN;
    double intensityScale = 1.0;

    /**
     * @param capacity the most query times one forecast may ask for, at least 1
     * @param observationDim {@code D}
     * @param eventTypes {@code K}
     */
    public Forecast(int capacity, int observationDim, int eventTypes) {
        if (capacity < 1 || observationDim < 1 || eventTypes < 1) {
            throw new IllegalArgumentException("capacity, observationDim and eventTypes must be at least 1, got "
                    + capacity + ", " + observationDim + ", " + eventTypes);
        }
        this.capacity = capacity;
        this.dim = observationDim;
        this.types = eventTypes;
        this.times = new double[capacity];
        this.mean = new double[capacity * observationDim];
        this.std = new double[capacity * observationDim];
        this.intensity = new double[capacity * eventTypes];
        this.expectedCount = new double[capacity * eventTypes];
        this.probabilityNoEvent = new double[capacity];
    }

    /** @return a holder for up to {@code capacity} times, sized for a model of that configuration. */
    public static Forecast of(ModelConfig config, int capacity) {
        return new Forecast(capacity, config.observationDim(), config.eventTypes());
    }

    /**
     * Sets the factor the next forecasts multiply every sample's intensity and cumulative intensity by (a
     * {@link Calibration#intensityScale()}); 1 until set.
     *
     * @param scale positive and finite
     */
    public void intensityScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("the intensity scale must be positive and finite, got " + scale);
        }
        intensityScale = scale;
    }

    /** @return the most query times a forecast may fill. */
    public int capacity() {
        return capacity;
    }

    /** @return the number of query times the last forecast filled. */
    public int size() {
        return size;
    }

    /** @return {@code tau}, the last event time the last forecast started from ({@code NaN} before any). */
    public double origin() {
        return origin;
    }

    /** @return query time {@code i}. */
    public double time(int i) {
        return times[check(i)];
    }

    /** @return forecast mean of dimension {@code d} at query time {@code i}. */
    public double mean(int i, int d) {
        return mean[check(i) * dim + d];
    }

    /** @return forecast standard deviation of dimension {@code d} at query time {@code i}. */
    public double std(int i, int d) {
        return std[check(i) * dim + d];
    }

    /** @return {@code lambda_k} at query time {@code i}, mean over samples. */
    public double intensity(int i, int k) {
        return intensity[check(i) * types + k];
    }

    /** @return {@code E[Lambda_k]}, the expected number of type-{@code k} events in {@code (tau, t_i]}. */
    public double expectedCount(int i, int k) {
        return expectedCount[check(i) * types + k];
    }

    /** @return the probability of no event of any type in {@code (tau, t_i]}. */
    public double probabilityNoEvent(int i) {
        return probabilityNoEvent[check(i)];
    }

    /** @return an immutable copy of query time {@code i}. Allocates. */
    public ForecastPoint point(int i) {
        check(i);
        return new ForecastPoint(times[i], slice(mean, i, dim), slice(std, i, dim), slice(intensity, i, types),
                slice(expectedCount, i, types), probabilityNoEvent[i]);
    }

    /** @return immutable copies of every query time of the last forecast. Allocates. */
    public List<ForecastPoint> points() {
        List<ForecastPoint> points = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            points.add(point(i));
        }
        return List.copyOf(points);
    }

    /** @return {@code D}. */
    public int observationDim() {
        return dim;
    }

    /** @return {@code K}. */
    public int eventTypes() {
        return types;
    }

    private static double[] slice(double[] a, int i, int width) {
        double[] out = new double[width];
        System.arraycopy(a, i * width, out, 0, width);
        return out;
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("query time " + i + " outside [0, " + size + ")");
        }
        return i;
    }
}
