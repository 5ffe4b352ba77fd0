package dev.odestream.ode.adjoint;

import dev.odestream.ode.SolveStatistics;

/**
 * The gradients of a loss {@code L(y(t_0), ..., y(t_N))} through one ODE solve, and what the passes cost. The arrays
 * belong to the record (not copied); treat them as read-only.
 *
 * @param dLdy0 {@code dL/dy_0}, including the direct {@code dL/dy(t_0)}; length {@code n}
 * @param dLdTheta {@code dL/dtheta}, in the dynamics' parameter order; length {@code p}
 * @param dLdTimes {@code dL/dt_i} for every output time; length {@code N + 1}
 * @param forwardStats the forward pass: derivative evaluations, accepted and rejected steps
 * @param backwardStats the backward pass: every evaluation of {@code f} or of its vector-Jacobian product (re-solves
 *     and replays included), and the steps of the backward solves
 */
public record AdjointResult(double[] dLdy0, double[] dLdTheta, double[] dLdTimes, SolveStatistics forwardStats,
                            SolveStatistics backwardStats) {
}
