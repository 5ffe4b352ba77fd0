package dev.odestream.model;

import java.util.Arrays;

/**
 * Grow-only solver output buffers. {@link dev.odestream.ode.OdeSolver#integrate(dev.odestream.ode.OdeSystem, double,
 * double[], double[], double[][])} wants exactly one output row and one time per query, so this keeps, for every
 * count {@code n} seen so far, an {@code n}-row view onto shared row buffers and an {@code n}-element time array.
 * Allocation happens only when a count is first seen; a warmed-up caller allocates nothing.
 */
final class RowBuffers {

    private final int width;
    private double[][] rows = new double[0][];
    private double[][][] views = new double[1][][];
    private double[][] times = new double[1][];

    /** @param width length of each row */
    RowBuffers(int width) {
        this.width = width;
    }

    /** @return {@code n} rows of {@link #width()}; the first {@code m} are the same arrays for every {@code n >= m}. */
    double[][] rows(int n) {
        ensure(n);
        if (views[n] == null) {
            views[n] = Arrays.copyOf(rows, n);
        }
        return views[n];
    }

    /** @return a time array of exactly {@code n} elements, the same one for every call with this {@code n}. */
    double[] times(int n) {
        ensure(n);
        if (times[n] == null) {
            times[n] = new double[n];
        }
        return times[n];
    }

    /** @return the length of each row. */
    int width() {
        return width;
    }

    private void ensure(int n) {
        if (n < rows.length) {
            return;
        }
        int old = rows.length;
        rows = Arrays.copyOf(rows, n + 1);
        for (int i = old; i <= n; i++) {
            rows[i] = new double[width];
        }
        views = Arrays.copyOf(views, n + 1);
        times = Arrays.copyOf(times, n + 1);
    }
}
