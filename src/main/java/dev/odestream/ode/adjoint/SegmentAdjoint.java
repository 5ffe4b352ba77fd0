package dev.odestream.ode.adjoint;

/**
 * Carries the adjoint {@code a = dL/dy} back over one segment {@code [t0, t1]} of the forward solution (time may run
 * either way) and adds the segment's share of {@code dL/dtheta}. The implementations differ in where the backward
 * pass gets the state {@code y}: re-integrated backward, or replayed forward from a checkpoint or a tape.
 */
@FunctionalInterface
interface SegmentAdjoint {

    /**
     * @param t1 the segment's end, where the backward pass starts
     * @param y1 {@code y(t1)}. Not modified.
     * @param t0 the segment's start
     * @param y0 {@code y(t0)}. Not modified.
     * @param a on entry {@code a(t1)}, on exit {@code a(t0)}. Modified.
     * @param dLdTheta the segment's share is added. Modified.
     */
    void backward(double t1, double[] y1, double t0, double[] y0, double[] a, double[] dLdTheta);
}
