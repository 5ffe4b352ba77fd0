package dev.odestream.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One event of a demo series: a time and a value vector with its observation mask. A missing dimension holds 0.0,
 * so {@code value * mask} is what an encoder sees either way.
 *
 * @param key the series id.
 * @param seriesIndex position of the series in the workload.
 * @param time event time.
 * @param values noisy values; 0.0 where not observed.
 * @param observed which dimensions were observed; at least one is.
 */
public record SeriesEvent(String key, int seriesIndex, double time, double[] values, boolean[] observed) {

    /** Copies the arrays and checks them. */
    public SeriesEvent {
        Objects.requireNonNull(key, "key");
        values = values.clone();
        observed = observed.clone();
        if (values.length != observed.length) {
            throw new IllegalArgumentException("need one mask entry per value");
        }
    }

    /** @return the value dimension. */
    public int dimension() {
        return values.length;
    }

    /** @return value {@code j}; 0.0 if not observed. */
    public double value(int j) {
        return values[j];
    }

    /** @return whether dimension {@code j} was observed. */
    public boolean isObserved(int j) {
        return observed[j];
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean[] observed() {
        return observed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesEvent e && key.equals(e.key) && seriesIndex == e.seriesIndex
                && Double.compare(time, e.time) == 0 && Arrays.equals(values, e.values)
                && Arrays.equals(observed, e.observed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, seriesIndex, time, Arrays.hashCode(values), Arrays.hashCode(observed));
    }

    @Override
    public String toString() {
        return "SeriesEvent[" + key + " @ " + time + ", values=" + Arrays.toString(values) + ", observed="
                + Arrays.toString(observed) + "]";
    }
}
