package dev.odestream.model;

import dev.odestream.ode.ParametricOdeSystem;

/**
 * Row-wise dynamics of a batch with some rows switched off: {@code f_b(t, y) = active_b * g(y)_b}. A batch solved on
 * the union of its series' time grids needs this because a series takes part only over its own span (an encoder
 * evolves between its first and last event, a latent path from its {@code tau} to its end); outside it, its row
 * stands still, exactly as if it had not been solved.
 *
 * <p>The state is one or more blocks, each {@code rows x width} row-major ({@link LatentSystem}'s {@code [z, Lambda]}
 * is two), and the inner dynamics must be row-wise (row {@code b} of {@code g} depends on row {@code b} of the state
 * alone), so {@code a^T d(active * g)/dy = (active * a)^T dg/dy} and likewise for {@code theta}: the products are the
 * inner ones of the masked vector. Allocation-free; not thread-safe.
 */
final class MaskedRows implements ParametricOdeSystem {

    private final ParametricOdeSystem inner;
    private final int[] widths;
    private final boolean[] active;
    private final double[] masked;
    private int rows;
    private boolean all;

    /**
     * @param inner row-wise dynamics. Not modified.
     * @param maxRows the largest batch
     * @param widths the width of each block of the state, in order. Not modified.
     */
    MaskedRows(ParametricOdeSystem inner, int maxRows, int... widths) {
        this.inner = inner;
        this.widths = widths.clone();
        int total = 0;
        for (int w : widths) {
            total += w;
        }
        this.active = new boolean[maxRows];
        this.masked = new double[maxRows * total];
        this.all = true;
    }

    /**
     * Sets which rows move; the inner dynamics' batch must already be {@code rows}.
     *
     * @param flags one per row. Not modified.
     * @param count the batch
     */
    void setActive(boolean[] flags, int count) {
        rows = count;
        all = true;
        for (int b = 0; b < count; b++) {
            active[b] = flags[b];
            all &= flags[b];
        }
    }

    @Override
    public int dimension() {
        return inner.dimension();
    }

    @Override
    public int parameterCount() {
        return inner.parameterCount();
    }

    @Override
    public void derivatives(double t, double[] y, double[] yDot) {
        inner.derivatives(t, y, yDot);
        zeroInactive(yDot);
    }

    @Override
    public double vjp(double t, double[] y, double[] a, double[] aDfDy, double[] aDfDTheta) {
        return inner.vjp(t, y, maskedCopy(a), aDfDy, aDfDTheta);
    }

    @Override
    public double derivativesAndVjp(double t, double[] y, double[] a, double[] yDot, double[] aDfDy,
                                    double[] aDfDTheta) {
        double dt = inner.derivativesAndVjp(t, y, maskedCopy(a), yDot, aDfDy, aDfDTheta);
        zeroInactive(yDot);
        return dt;
    }

    /** @return {@code a} itself when every row moves, else a copy with the still rows zeroed */
    private double[] maskedCopy(double[] a) {
        if (all) {
            return a;
        }
        System.arraycopy(a, 0, masked, 0, inner.dimension());
        zeroInactive(masked);
        return masked;
    }

    private void zeroInactive(double[] v) {
        if (all) {
            return;
        }
        int start = 0;
        for (int width : widths) {
            for (int b = 0; b < rows; b++) {
                if (!active[b]) {
                    java.util.Arrays.fill(v, start + b * width, start + (b + 1) * width, 0.0);
                }
            }
            start += rows * width;
        }
    }
}
