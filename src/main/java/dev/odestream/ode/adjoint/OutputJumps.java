package dev.odestream.ode.adjoint;

import dev.odestream.ode.OdeSystem;

import java.util.Arrays;

/**
 * The backward pass over many output times (Chen et al. 2018, Algorithm 1 with Appendix C): segments joined by the
 * adjoint's jumps {@code a += dL/dy(t_i)}, and the time gradients. With the flow {@code y(t) = Phi(t; t_0, y_0)}:
 * <ul>
 *   <li>{@code dL/dt_i = dL/dy(t_i) . f(t_i, y_i)} for {@code i >= 1}, only the direct term, since no later output
 *       depends on where {@code t_i} lies;</li>
 *   <li>{@code dL/dt_0 = -a(t_0)^T f(t_0, y_0)}, with {@code a(t_0)} before the jump at {@code t_0}, because
 *       {@code dPhi/dt_0 = -(dPhi/dy_0) f(t_0, y_0)}.</li>
 * </ul>
 * This needs no time-adjoint state and no integral of {@code a^T df/dt}, and holds for non-autonomous dynamics.
 */
final class OutputJumps {

    private OutputJumps() {
    }

    /**
     * Runs the backward pass. The adjoint is carried in {@code dLdy0} itself, which ends as {@code a(t_0)}.
     *
     * @param work scratch of length {@code n}. Modified.
     * @return the derivative evaluations made for the time gradients
     */
    static int backward(SegmentAdjoint segments, OdeSystem f, double[] times, double[][] states, double[][] dLdy,
                        double[] work, double[] dLdy0, double[] dLdTheta, double[] dLdTimes) {
        int last = times.length - 1;
        double[] a = dLdy0;
        System.arraycopy(dLdy[last], 0, a, 0, a.length);
        Arrays.fill(dLdTheta, 0.0);
        dLdTimes[last] = last == 0 ? 0.0 : velocityDot(f, times[last], states[last], dLdy[last], work);
        for (int i = last - 1; i >= 0; i--) {
            segments.backward(times[i + 1], states[i + 1], times[i], states[i], a, dLdTheta);
            dLdTimes[i] = i > 0
                    ? velocityDot(f, times[i], states[i], dLdy[i], work)
                    : -velocityDot(f, times[0], states[0], a, work);
            Vectors.addTo(dLdy[i], a);
        }
        return last == 0 ? 0 : last + 1;
    }

    /** @return {@code v . f(t, y)}. */
    private static double velocityDot(OdeSystem f, double t, double[] y, double[] v, double[] work) {
        f.derivatives(t, y, work);
        return Vectors.dot(v, work);
    }

    /**
     * Checks the shapes and that the times are finite and strictly monotone.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    static void check(double[] times, int n, double[][] rows, String rowsName) {
        if (times.length == 0) {
            throw new IllegalArgumentException("need at least one output time");
        }
        double direction = Math.signum(times[times.length - 1] - times[0]);
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i]) || (i > 0 && (times[i] - times[i - 1]) * direction <= 0)) {
                throw new IllegalArgumentException("times must be finite and strictly monotone; times[" + i + "] = "
                        + times[i] + " breaks that");
            }
        }
        checkRows(times.length, n, rows, rowsName);
    }

    /** @throws IllegalArgumentException unless {@code rows} is {@code count x n} */
    static void checkRows(int count, int n, double[][] rows, String rowsName) {
        if (rows.length != count) {
            throw new IllegalArgumentException(rowsName + " has " + rows.length + " rows, expected " + count);
        }
        for (int i = 0; i < count; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException(rowsName + "[" + i + "] has length " + rows[i].length
                        + ", expected " + n);
            }
        }
    }

    /** @throws IllegalArgumentException unless {@code v.length == n} */
    static void checkLength(double[] v, int n, String name) {
        if (v.length != n) {
            throw new IllegalArgumentException(name + " has length " + v.length + ", expected " + n);
        }
    }
}
