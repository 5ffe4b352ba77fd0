package dev.odestream.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One training example: a stretch of a series split at {@code tau}, the last context event time. The context is what
 * the encoder reads; the target is what the loss scores: observations after {@code tau} and the event times in
 * {@code (tau, end]}. Any irregular grid fits: times need only be ordered, and a value row may be absent (a pure point
 * event) or partly masked.
 *
 * <p>A target event that also carries values appears twice, once as a target observation and once as an event time;
 * the two enter different terms of the loss.
 *
 * <p>Immutable: arrays are deep-copied in and out. Sizes against the model ({@code D}, {@code K}) are checked when
 * the window is evaluated.
 *
 * @param contextTimes event times up to {@code tau}, non-decreasing, at least one
 * @param contextValues per context event its values, or a {@code null} row for a pure point event
 * @param contextMasks per context event which values are present, or a {@code null} row for all present
 * @param contextTypes per context event its type
 * @param targetTimes observation times in {@code [tau, end]}, non-decreasing
 * @param targetValues per target observation its values (rows not null)
 * @param targetMasks per target observation which values are scored, or a {@code null} row for all
 * @param eventTimes event times in {@code (tau, end]}, non-decreasing; the Poisson term's events
 * @param eventTypes per event its type
 * @param end {@code T}, the end of the target span; the Poisson term integrates the intensity over {@code (tau, T]}
 */
public record Window(double[] contextTimes, double[][] contextValues, boolean[][] contextMasks, int[] contextTypes,
                     double[] targetTimes, double[][] targetValues, boolean[][] targetMasks, double[] eventTimes,
                     int[] eventTypes, double end) {

    public Window {
        contextTimes = contextTimes.clone();
        contextValues = deepCopy(contextValues);
        contextMasks = deepCopy(contextMasks);
        contextTypes = contextTypes.clone();
        targetTimes = targetTimes.clone();
        targetValues = deepCopy(targetValues);
        targetMasks = deepCopy(targetMasks);
        eventTimes = eventTimes.clone();
        eventTypes = eventTypes.clone();
        checkContext(contextTimes, contextValues, contextMasks, contextTypes);
        double tau = contextTimes[contextTimes.length - 1];
        checkSpan("target", targetTimes, tau, true, end);
        checkSpan("event", eventTimes, tau, false, end);
        sameLength("targetValues", targetValues.length, targetTimes.length);
        sameLength("targetMasks", targetMasks.length, targetTimes.length);
        sameLength("eventTypes", eventTypes.length, eventTimes.length);
        for (double[] row : targetValues) {
            if (row == null) {
                throw new IllegalArgumentException("a target observation needs values");
            }
        }
    }

    /** @return a builder that collects the window event by event. */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code tau}, the last context event time, where the posterior is formed. */
    public double tau() {
        return contextTimes[contextTimes.length - 1];
    }

    /** @return the number of context events. */
    public int contextCount() {
        return contextTimes.length;
    }

    /** @return the number of target observations. */
    public int targetCount() {
        return targetTimes.length;
    }

    /** @return the number of target events. */
    public int eventCount() {
        return eventTimes.length;
    }

    @Override
    public double[] contextTimes() {
        return contextTimes.clone();
    }

    @Override
    public double[][] contextValues() {
        return deepCopy(contextValues);
    }

    @Override
    public boolean[][] contextMasks() {
        return deepCopy(contextMasks);
    }

    @Override
    public int[] contextTypes() {
        return contextTypes.clone();
    }

    @Override
    public double[] targetTimes() {
        return targetTimes.clone();
    }

    @Override
    public double[][] targetValues() {
        return deepCopy(targetValues);
    }

    @Override
    public boolean[][] targetMasks() {
        return deepCopy(targetMasks);
    }

    @Override
    public double[] eventTimes() {
        return eventTimes.clone();
    }

    @Override
    public int[] eventTypes() {
        return eventTypes.clone();
    }

    /**
     * Checks the window against a model's shape, as every ELBO evaluator does before it reads a batch: event types
     * within the model's, values of its observation dimension, finite wherever their mask marks them present.
     * Allocates only when it throws.
     *
     * @param observationDim the model's observation dimension
     * @param typeCount the model's number of event types
     * @throws IllegalArgumentException naming the first offending field and value
     */
    public void checkShape(int observationDim, int typeCount) {
        for (int c = 0; c < contextCount(); c++) {
            EventChecks.checkType(contextTypes[c], typeCount);
            if (contextValues[c] != null) {
                EventChecks.checkValues(contextValues[c], contextMasks[c], observationDim);
            }
        }
        for (int j = 0; j < targetCount(); j++) {
            EventChecks.checkValues(targetValues[j], targetMasks[j], observationDim);
        }
        for (int e = 0; e < eventCount(); e++) {
            EventChecks.checkType(eventTypes[e], typeCount);
        }
    }

    // Views without copies for the evaluator in this package; callers there must not modify them.

    double contextTime(int i) {
        return contextTimes[i];
    }

    double[] contextValuesRow(int i) {
        return contextValues[i];
    }

    boolean[] contextMaskRow(int i) {
        return contextMasks[i];
    }

    int contextType(int i) {
        return contextTypes[i];
    }

    double targetTime(int j) {
        return targetTimes[j];
    }

    public double[] targetValuesRow(int j) {
        return targetValues[j];
    }

    public boolean[] targetMaskRow(int j) {
        return targetMasks[j];
    }

    double eventTime(int e) {
        return eventTimes[e];
    }

    int eventType(int e) {
        return eventTypes[e];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Window w && Double.compare(w.end, end) == 0 && Arrays.equals(w.contextTimes, contextTimes)
                && Arrays.deepEquals(w.contextValues, contextValues) && Arrays.deepEquals(w.contextMasks, contextMasks)
                && Arrays.equals(w.contextTypes, contextTypes) && Arrays.equals(w.targetTimes, targetTimes)
                && Arrays.deepEquals(w.targetValues, targetValues) && Arrays.deepEquals(w.targetMasks, targetMasks)
                && Arrays.equals(w.eventTimes, eventTimes) && Arrays.equals(w.eventTypes, eventTypes);
    }

    @Override
    public int hashCode() {
        // The value Arrays.deepHashCode gives the ten components as an Object[], without allocating that array:
        // the trainers hash every window at every iteration to seed its noise.
        int h = 31 + Arrays.hashCode(contextTimes);
        h = 31 * h + Arrays.deepHashCode(contextValues);
        h = 31 * h + Arrays.deepHashCode(contextMasks);
        h = 31 * h + Arrays.hashCode(contextTypes);
        h = 31 * h + Arrays.hashCode(targetTimes);
        h = 31 * h + Arrays.deepHashCode(targetValues);
        h = 31 * h + Arrays.deepHashCode(targetMasks);
        h = 31 * h + Arrays.hashCode(eventTimes);
        h = 31 * h + Arrays.hashCode(eventTypes);
        return 31 * h + Double.hashCode(end);
    }

    @Override
    public String toString() {
        return "Window[context=" + contextTimes.length + " events in [" + contextTimes[0] + ", " + tau() + "], "
                + targetTimes.length + " targets, " + eventTimes.length + " events, end=" + end + "]";
    }

    private static void checkContext(double[] times, double[][] values, boolean[][] masks, int[] types) {
        if (times.length == 0) {
            throw new IllegalArgumentException("a window needs at least one context event");
        }
        sameLength("contextValues", values.length, times.length);
        sameLength("contextMasks", masks.length, times.length);
        sameLength("contextTypes", types.length, times.length);
        checkOrdered("context", times, Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY);
    }

    private static void checkSpan(String what, double[] times, double tau, boolean includeTau, double end) {
        if (!Double.isFinite(end) || end < tau) {
            throw new IllegalArgumentException("end " + end + " must be finite and not before tau " + tau);
        }
        checkOrdered(what, times, tau, includeTau, end);
    }

    private static void checkOrdered(String what, double[] times, double from, boolean includeFrom, double to) {
        double previous = from;
        for (int i = 0; i < times.length; i++) {
            double t = times[i];
            boolean inSpan = (t > from || (includeFrom && t == from)) && t <= to && t >= previous;
            if (!Double.isFinite(t) || !inSpan) {
                throw new IllegalArgumentException(what + " times must be finite, non-decreasing and in "
                        + (includeFrom ? "[" : "(") + from + ", " + to + "]; " + what + "Times[" + i + "] = " + t);
            }
            previous = t;
        }
    }

    private static void sameLength(String name, int length, int expected) {
        if (length != expected) {
            throw new IllegalArgumentException(name + " has " + length + " rows, expected " + expected);
        }
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] copy = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i] == null ? null : a[i].clone();
        }
        return copy;
    }

    private static boolean[][] deepCopy(boolean[][] a) {
        boolean[][] copy = new boolean[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i] == null ? null : a[i].clone();
        }
        return copy;
    }

    /** Collects a window event by event; {@link #build()} validates it. Not thread-safe. */
    public static final class Builder {

        private final List<Double> contextTimes = new ArrayList<>();
        private final List<double[]> contextValues = new ArrayList<>();
        private final List<boolean[]> contextMasks = new ArrayList<>();
        private final List<Integer> contextTypes = new ArrayList<>();
        private final List<Double> targetTimes = new ArrayList<>();
        private final List<double[]> targetValues = new ArrayList<>();
        private final List<boolean[]> targetMasks = new ArrayList<>();
        private final List<Double> eventTimes = new ArrayList<>();
        private final List<Integer> eventTypes = new ArrayList<>();
        private double end = Double.NaN;

        private Builder() {
        }

        /** Adds a context event; {@code values} {@code null} for a point event, {@code mask} {@code null} for all. */
        public Builder context(double t, double[] values, boolean[] mask, int type) {
            contextTimes.add(t);
            contextValues.add(values);
            contextMasks.add(mask);
            contextTypes.add(type);
            return this;
        }

        /** Adds a target observation; {@code mask} {@code null} scores every value. */
        public Builder target(double t, double[] values, boolean[] mask) {
            targetTimes.add(t);
            targetValues.add(values);
            targetMasks.add(mask);
            return this;
        }

        /** Adds a target event for the Poisson term. */
        public Builder event(double t, int type) {
            eventTimes.add(t);
            eventTypes.add(type);
            return this;
        }

        /** Sets {@code T}; by default the latest of {@code tau}, the last target and the last event. */
        public Builder end(double t) {
            end = t;
            return this;
        }

        /** @return the validated window */
        public Window build() {
            double[] ctx = unbox(contextTimes);
            double[] tgt = unbox(targetTimes);
            double[] evt = unbox(eventTimes);
            double t = Double.isNaN(end) ? defaultEnd(ctx, tgt, evt) : end;
            return new Window(ctx, contextValues.toArray(new double[0][]), contextMasks.toArray(new boolean[0][]),
                    contextTypes.stream().mapToInt(Integer::intValue).toArray(), tgt,
                    targetValues.toArray(new double[0][]), targetMasks.toArray(new boolean[0][]), evt,
                    eventTypes.stream().mapToInt(Integer::intValue).toArray(), t);
        }

        private static double defaultEnd(double[] ctx, double[] tgt, double[] evt) {
            double t = ctx.length == 0 ? Double.NEGATIVE_INFINITY : ctx[ctx.length - 1];
            t = tgt.length == 0 ? t : Math.max(t, tgt[tgt.length - 1]);
            return evt.length == 0 ? t : Math.max(t, evt[evt.length - 1]);
        }

        private static double[] unbox(List<Double> list) {
            return list.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
