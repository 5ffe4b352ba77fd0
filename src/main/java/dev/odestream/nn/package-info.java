/**
 * Differentiable layers, the flat parameter layout, optimizers and a gradient checker.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>One flat parameter vector per model.</b> {@link dev.odestream.nn.Parameters} holds {@code values} and
 *       {@code gradients}; layers register named blocks ({@link dev.odestream.nn.ParameterBlock}) while they are
 *       constructed. The optimizer steps the flat arrays, the checkpoint stores them with their
 *       {@link dev.odestream.nn.ParameterLayout}, and a module's {@link dev.odestream.nn.ParameterRange} is the index
 *       space of the adjoint's {@code dL/dtheta}.</li>
 *   <li><b>Batched rows.</b> Every layer maps a row-major {@code rows x in} batch to {@code rows x out}; one call
 *       processes the whole batch of series, matching the batched ODE state of
 *       {@link dev.odestream.ode.OdeSystem}.</li>
 *   <li><b>Gradient routing.</b> {@code backward(dOut, dIn, rows, grad, gradBase)} overwrites {@code dIn} and adds the
 *       parameter gradient of flat index {@code k} into {@code grad[k - gradBase]}. The short form targets
 *       {@code Parameters.gradients()} with base 0; {@link dev.odestream.nn.MlpDynamics#vjp} passes the caller's
 *       {@code aDfDTheta} with base {@code range.offset()}. Layers never own gradient storage, so the same code serves
 *       plain backprop and the adjoint.</li>
 *   <li><b>Dynamics.</b> {@link dev.odestream.nn.BatchDynamics} is an ODE right-hand side applied row-wise to a batch;
 *       {@link dev.odestream.nn.BoundedDynamics} ({@code r * (tanh(MLP(h)) - h)}) stays bounded for any parameters,
 *       {@link dev.odestream.nn.MlpDynamics} ({@code MLP(h)}) is the first models' kind
 *       ({@link dev.odestream.nn.DynamicsKind}).</li>
 *   <li><b>No allocation after construction.</b> Forward passes cache what backward needs in workspaces sized for
 *       {@code maxRows}; a test counts the bytes allocated by warmed-up calls and requires zero. Hence layers are not
 *       thread-safe.</li>
 *   <li><b>Hand loops over EJML.</b> EJML's dense multiply is the same i-k-j loop without blocking, and its matrices
 *       cannot view an offset into the flat array; see {@link dev.odestream.nn.Linear}.</li>
 *   <li><b>Checked against finite differences.</b> {@link dev.odestream.nn.GradientCheck} is public so that users can
 *       check their own dynamics the way every layer here is tested.</li>
 * </ul>
 */
package dev.odestream.nn;
