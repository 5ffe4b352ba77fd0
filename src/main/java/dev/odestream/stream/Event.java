package dev.odestream.stream;

import java.util.Arrays;

/**
 * One event of a series, as the engine reads it from the {@code events} topic (the series id is the record key, not
 * part of the value). Immutable: arrays are copied in and out; {@link #copyValues} and {@link #copyMask} fill a
 * caller's workspace without allocating.
 *
 * @param timeMs event time, epoch milliseconds
 * @param values the observation, or {@code null} for a pure point event; any length here, the engine checks it
 *     against the model's dimension
 * @param mask which values are present, same length as {@code values}, or {@code null} for all present; must be
 *     {@code null} for a point event
 * @param type the event type, non-negative; the engine checks it against the model's number of types
 */
public record Event(long timeMs, double[] values, boolean[] mask, int type) {

    /** Checks the shape and copies the arrays. */
    public Event {
        if (type < 0) {
            throw new IllegalArgumentException("event type must be non-negative, got " + type);
        }
        if (values == null && mask != null) {
            throw new IllegalArgumentException("a point event (values null) cannot have a mask");
        }
        if (mask != null && mask.length != values.length) {
            throw new IllegalArgumentException("mask has length " + mask.length + ", values " + values.length);
        }
        values = values == null ? null : values.clone();
        mask = mask == null ? null : mask.clone();
    }

    /** @return an event of type 0 with every value present. */
    public static Event of(long timeMs, double... values) {
        return new Event(timeMs, values, null, 0);
    }

    /** @return a pure point event (no values) of the given type. */
    public static Event point(long timeMs, int type) {
        return new Event(timeMs, null, null, type);
    }

    /** @return whether this event carries no values. */
    public boolean isPoint() {
        return values == null;
    }

    /** @return the number of values, 0 for a point event. */
    public int dimension() {
        return values == null ? 0 : values.length;
    }

    /** @return whether value {@code d} is present (not masked out). */
    public boolean isPresent(int d) {
        return values != null && (mask == null || mask[d]);
    }

    /** @return a copy of the values, or {@code null} for a point event. */
    @Override
    public double[] values() {
        return values == null ? null : values.clone();
    }

    /** @return a copy of the mask, or {@code null} when every value is present or this is a point event. */
    @Override
    public boolean[] mask() {
        return mask == null ? null : mask.clone();
    }

    /**
     * @param out receives the values, length at least {@link #dimension()}. Modified.
     * @return {@code out}, or {@code null} for a point event
     */
    public double[] copyValues(double[] out) {
        if (values == null) {
            return null;
        }
        System.arraycopy(values, 0, out, 0, values.length);
        return out;
    }

    /**
     * @param out receives the mask, length at least {@link #dimension()}. Modified.
     * @return {@code out}, or {@code null} when there is no mask
     */
    public boolean[] copyMask(boolean[] out) {
        if (mask == null) {
            return null;
        }
        System.arraycopy(mask, 0, out, 0, mask.length);
        return out;
    }

    /** @return this event at another time. */
    public Event withTime(long newTimeMs) {
        return new Event(newTimeMs, values, mask, type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && timeMs == e.timeMs && type == e.type && Arrays.equals(values, e.values)
                && Arrays.equals(mask, e.mask);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(timeMs) * 31 + type) * 961 + Arrays.hashCode(values) * 31 + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return "Event[timeMs=" + timeMs + ", values=" + Arrays.toString(values) + ", mask=" + Arrays.toString(mask)
                + ", type=" + type + "]";
    }
}
