package dev.odestream.cuda;

/**
 * Row-wise dynamics of a batch on the device, the device form of a {@link dev.odestream.ode.ParametricOdeSystem}
 * whose row {@code b} of {@code f} depends on row {@code b} of the state alone: the state is one or more
 * {@code rows x width} blocks ({@link #widths()}), and the parameters are the contiguous slice
 * {@code [base, base + count)} of the flat layout. Subclasses supply {@link #derivatives} and {@link #vjp}.
 */
abstract class RowDynamics {

    /** Flat index of the first parameter, where {@link #vjp} adds into the gradient. */
    protected final int base;
    private final int count;
    private final int[] widths;
    /** The rows of the current batch. */
    protected int rows;

    /**
     * @param base flat index of the first parameter
     * @param count the number of parameters
     * @param widths the width of each block of the state, in order
     */
    RowDynamics(int base, int count, int... widths) {
        this.base = base;
        this.count = count;
        this.widths = widths;
    }

    void setRows(int rows) {
        this.rows = rows;
    }

    /** @return the rows of the current batch */
    final int rows() {
        return rows;
    }

    /** @return the width of each block of the state, in order. Not to be modified. */
    final int[] widths() {
        return widths;
    }

    /** @return the state length, {@code rows} times the sum of the widths */
    final int dimension() {
        int sum = 0;
        for (int w : widths) {
            sum += w;
        }
        return rows * sum;
    }

    /** @return the number of parameters, the length of {@code a^T df/dtheta} */
    final int parameterCount() {
        return count;
    }

    /** {@code yDot = f(y)}; caches what {@link #vjp} reads. {@code y} must stay unchanged until then. */
    abstract void derivatives(long y, long yDot);

    /**
     * After {@link #derivatives} at the same {@code y}: {@code aDfDy = a^T df/dy} (overwritten) and
     * {@code a^T df/dtheta} added to {@code aDfDTheta}, which the caller has zeroed.
     */
    abstract void vjp(long a, long aDfDy, long aDfDTheta);
}
