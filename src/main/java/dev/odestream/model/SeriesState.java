package dev.odestream.model;

import java.util.Arrays;

/**
 * What the model remembers of one series between events: the encoder's hidden state {@code h}, the time of the last
 * event {@code t_last}, and how many events it has folded in. Plain arrays and scalars, so that the streaming engine
 * can serialise it field by field.
 *
 * <p>A fresh state has {@code h = 0} and no events; its {@code t_last} is {@code NaN} until the first event. Only
 * {@link LatentOdeModel#observe} advances it. Mutable and not thread-safe: one state per series, updated by the thread
 * that owns the series.
 */
public final class SeriesState {

    private final double[] h;
    private double tLast = Double.NaN;
    private long eventCount;

    /** @param hiddenSize {@code H}, the encoder's hidden size */
    public SeriesState(int hiddenSize) {
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be at least 1, got " + hiddenSize);
        }
        this.h = new double[hiddenSize];
    }

    /**
     * @return the encoder's hidden state, the live array (length {@code H}). Read it to serialise; modify it only to
     *     restore a serialised state.
     */
    public double[] hidden() {
        return h;
    }

    /** @return the time of the last event, {@code NaN} before the first. */
    public double lastTime() {
        return tLast;
    }

    /** @return the number of events folded in. */
    public long eventCount() {
        return eventCount;
    }

    /** @return whether at least one event has been folded in, so that a forecast has a posterior to start from. */
    public boolean hasEvents() {
        return eventCount > 0;
    }

    /**
     * Restores a serialised state.
     *
     * @param hidden the hidden state, length {@code H}. Not modified.
     * @param lastTime the last event time; {@code NaN} exactly when {@code count == 0}
     * @param count the number of events seen, non-negative
     */
    public void restore(double[] hidden, double lastTime, long count) {
        if (hidden.length != h.length) {
            throw new IllegalArgumentException("hidden state has length " + hidden.length + ", expected " + h.length);
        }
        if (count < 0 || (count == 0) != Double.isNaN(lastTime)) {
            throw new IllegalArgumentException("inconsistent state: count " + count + ", last time " + lastTime);
        }
        System.arraycopy(hidden, 0, h, 0, h.length);
        tLast = lastTime;
        eventCount = count;
    }

    /** Copies another state of the same size into this one. */
    public void copyFrom(SeriesState other) {
        restore(other.h, other.tLast, other.eventCount);
    }

    /** Forgets every event: {@code h = 0}, no last time. */
    public void reset() {
        Arrays.fill(h, 0.0);
        tLast = Double.NaN;
        eventCount = 0;
    }

    /** Records that an event at {@code t} has been folded into {@link #hidden()}. */
    void advance(double t) {
        tLast = t;
        eventCount++;
    }
}
