package dev.odestream.model;

import java.util.Arrays;

/**
 * The sorted distinct union of the time grids of a batch of windows: what one batched solve steps through. Built by
 * merging each window's already sorted times in, two buffers used in turn, so it allocates only when the union grows
 * past its largest size so far (a general sort could allocate a run buffer). Not thread-safe.
 */
final class UnionGrid {

    /** Times {@code 0 .. count - 1} of one window, non-decreasing. */
    interface Times {
        double at(Window w, int i);
    }

    private double[] times = new double[64];
    private double[] spare = new double[64];
    private int size;

    /** Empties the grid. */
    void clear() {
        size = 0;
    }

    /**
     * Merges {@code count} non-decreasing times of {@code w} in, keeping each distinct time once.
     *
     * @param times reads the times. Not modified.
     */
    void add(Window w, Times times, int count) {
        ensure(size + count);
        double[] from = this.times;
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < size || j < count) {
            double t = j >= count || (i < size && from[i] <= times.at(w, j)) ? from[i++] : times.at(w, j++);
            if (k == 0 || spare[k - 1] != t) {
                spare[k++] = t;
            }
        }
        this.times = spare;
        this.spare = from;
        size = k;
    }

    /**
     * Merges {@code times[from .. from + count)}, non-decreasing, in, keeping each distinct time once.
     *
     * @param times Not modified.
     */
    void add(double[] times, int from, int count) {
        ensure(size + count);
        double[] old = this.times;
        int i = 0;
        int j = from;
        int k = 0;
        while (i < size || j < from + count) {
            double t = j >= from + count || (i < size && old[i] <= times[j]) ? old[i++] : times[j++];
            if (k == 0 || spare[k - 1] != t) {
                spare[k++] = t;
            }
        }
        this.times = spare;
        this.spare = old;
        size = k;
    }

    /** @return the number of distinct times. */
    int size() {
        return size;
    }

    /** @return time {@code i}, increasing in {@code i}. */
    double time(int i) {
        return times[i];
    }

    /** @return the times, increasing, valid in {@code [0, size())}; the grid's own array, not to be modified */
    double[] times() {
        return times;
    }

    /** @return the index of a time of the grid */
    int indexOf(double t) {
        int i = Arrays.binarySearch(times, 0, size, t);
        if (i < 0) {
            throw new IllegalStateException("time " + t + " is not on the grid");
        }
        return i;
    }

    private void ensure(int n) {
        if (spare.length < n) {
            int length = Math.max(n, 2 * spare.length);
            spare = new double[length];
            times = Arrays.copyOf(times, length);
        }
    }
}
