package dev.odestream.cuda;

/**
 * Row-wise dynamics of a batch on the device, the device form of a {@link dev.odestream.ode.ParametricOdeSystem}
 * whose row {@code b} of {@code f} depends on row {@code b} of the state alone: the state is one or more
 * {@code rows x width} blocks ({@link #widths()}), and the parameters are a contiguous slice of the flat layout.
 */
interface RowDynamics {

    /** @return the rows of the current batch */
    int rows();

    /** @return the width of each block of the state, in order */
    int[] widths();

    /** @return the state length, {@code rows} times the sum of the widths */
    default int dimension() {
        int sum = 0;
        for (int w : widths()) {
            sum += w;
        }
        return rows() * sum;
    }

    /** @return the number of parameters, the length of {@code a^T df/dtheta} */
    int parameterCount();

    /** {@code yDot = f(y)}; caches what {@link #vjp} reads. {@code y} must stay unchanged until then. */
    void derivatives(long y, long yDot);

    /**
     * After {@link #derivatives} at the same {@code y}: {@code aDfDy = a^T df/dy} (overwritten) and
     * {@code a^T df/dtheta} added to {@code aDfDTheta}, which the caller has zeroed.
     */
    void vjp(long a, long aDfDy, long aDfDTheta);
}
