/**
 * Gradients through ODE solves: the adjoint sensitivity method (Chen et al. 2018, Algorithm 1, with the adjoint's
 * jumps at every output time from Appendix C) and back-propagation through the solver's steps.
 *
 * <p><b>The adjoint is a client of the forward solver.</b> {@link dev.odestream.ode.adjoint.AdjointSolver} runs the
 * same {@link dev.odestream.ode.OdeSolver} forward on {@code f} and backward on an augmented system
 * {@code [y, a, dL/dtheta]} built around {@link dev.odestream.ode.ParametricOdeSystem#derivativesAndVjp}; the
 * parameter part is left out of the backward error norm (a seminorm), since it never feeds back into the dynamics.
 * The multi-time pass is segments joined by jumps {@code a += dL/dy(t_i)}; models with other operations between
 * segments (an ODE-RNN's GRU updates) call the segment methods themselves and back-propagate through the jumps.
 *
 * <p><b>Two ways to know y going backward.</b> {@code REINTEGRATE} integrates {@code y} backward with {@code a} and
 * resets it to the stored forward value at each output time: memory independent of the step count, but the backward
 * {@code y} only approximates the forward one, and not at all where the dynamics are unstable backward.
 * {@code CHECKPOINT} (the remedy of the paper's section 6) re-solves each segment from its forward state and
 * back-propagates exactly through the steps the solver took, treating accepted step sizes as constants: memory grows
 * with one segment's steps, and the gradient is that of the computed forward solution.
 * {@link dev.odestream.ode.adjoint.DirectBackprop} does the same through a whole solve at once, as the reference.
 * Both discrete paths share one per-step back-propagation for any explicit tableau, {@code RkStepVjp}.
 *
 * <p><b>Time gradients</b> need no extra adjoint state: {@code dL/dt_i = dL/dy(t_i) . f(t_i, y_i)} for {@code i >= 1}
 * and {@code dL/dt_0 = -a(t_0) . f(t_0, y_0)} with {@code a} before the jump at {@code t_0}, exact for the flow and
 * valid for non-autonomous dynamics.
 *
 * <p><b>Why the forward pass restarts at output times.</b> A segment re-solved from its start then takes the very same
 * steps, and every output is a step's end rather than a dense-output value (which is less accurate, and for DOPRI8
 * only cubic). The solver exposes no stage values, so the discrete paths retake the recorded steps onto a tape. The
 * exception is {@code forwardThrough}, for many close output times (a batch on a union grid): one pass answered by
 * dense output, since a re-integrating backward pass needs the outputs, not the steps; with
 * {@link dev.odestream.ode.SolverOptions#carryStep()} the backward segments then start from each other's step, one
 * step per short segment instead of a first-step estimate and a few short steps.
 *
 * <p><b>Allocation.</b> Workspaces are sized at construction or grow to the longest segment seen; after warm-up the
 * forward and backward passes allocate nothing, which a test measures with the thread allocation counter. Only the
 * record form of {@code gradient} allocates: its {@link dev.odestream.ode.adjoint.AdjointResult}. Failures of the
 * backward pass throw {@link dev.odestream.ode.adjoint.BackwardPassException}, naming the segment.
 */
package dev.odestream.ode.adjoint;
