/**
 * Forward ODE solvers: explicit Runge-Kutta methods with embedded error control and dense output.
 *
 * <p><b>Why hand-written.</b> The solvers sit on the hot path of a neural ODE: every forecast and every training
 * step integrates, and the adjoint integrates again backward. So they are batched (one long state vector), they
 * allocate nothing per step ({@link dev.odestream.ode.OdeSolver} sizes its workspaces once), and they are
 * adjoint-ready: time may run backward, forced step boundaries mark the observation jumps, a seminorm
 * ({@link dev.odestream.ode.SolverOptions.Builder#errorExcludedFrom}) keeps parameter-gradient state out of step
 * control, and a solve that continues the previous one across a jump may start from its step
 * ({@link dev.odestream.ode.SolverOptions.Builder#carryStep}) rather than estimate a first step again.
 *
 * <p><b>Tableaux are data.</b> A method is a {@link dev.odestream.ode.Tableau} (Butcher coefficients, embedded error
 * weights, continuous extension) in {@link dev.odestream.ode.Tableaus} plus a line in
 * {@link dev.odestream.ode.Method}; one generic stepper runs them all.
 *
 * <p><b>Batches and error control.</b> A batch of series is one state vector. Step control takes one RMS norm over
 * the whole vector, so the batch shares one step sequence: the hardest series sets the step for all, and the
 * answer for one series depends (within tolerance) on its batch mates. Per-component tolerances and the seminorm
 * let callers weigh or exclude parts of the vector.
 *
 * <p><b>Step control apart from the arithmetic.</b> {@link dev.odestream.ode.StepSizeController} takes every
 * step-size decision from the norms a solver hands it, so a solver that keeps its state elsewhere (the CUDA
 * backend's, on the device) decides exactly as {@link dev.odestream.ode.OdeSolver} does.
 *
 * <p><b>Failures</b> throw subclasses of {@link dev.odestream.ode.OdeSolverException} that name the time reached;
 * a solver never returns a silently wrong answer and never loops without bound
 * ({@link dev.odestream.ode.SolverOptions#maxSteps()}).
 */
package dev.odestream.ode;
