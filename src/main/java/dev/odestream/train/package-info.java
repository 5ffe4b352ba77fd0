/**
 * Training: a generic minibatch trainer for any model over a flat parameter vector, the latent ODE as a trainable
 * model, and the contract of a training backend.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>One interface per model.</b> {@link dev.odestream.train.TrainableModel} is generic in the window type
 *       {@code W} (a spiral, a window of events): the summed loss of a slice of windows with its gradient added into
 *       a caller's array, an additive {@link dev.odestream.train.Evaluation} for validation, a metric built from it,
 *       the architecture's hyperparameters, and counters (such as NFE) for progress lines. The latent ODE and the
 *       RNN baseline plug in the same way.</li>
 *   <li><b>Replicas, not locks.</b> Layers own workspaces, so each worker thread runs its own
 *       {@linkplain dev.odestream.train.TrainableModel#replicate() replica}; the master's values are copied into the
 *       replicas before every step (a few thousand doubles, nothing next to a forward and backward pass) and are
 *       read-only during it.</li>
 *   <li><b>Reproducible parallelism.</b> A minibatch is cut into a fixed number of shards, each shard's gradient
 *       goes to its own buffer, and the buffers are added in shard order on one thread. The result depends on the
 *       data, the seed and the shard count, never on the thread count or on timing; tests check that bitwise.</li>
 *   <li><b>Schedules are values.</b> {@link dev.odestream.train.Schedule} records (constant, linear ramp for KL
 *       annealing, exponential decay for the learning rate) print as what they are in logs and checkpoint notes.
 *       The KL weight reaches the model in each {@link dev.odestream.train.TrainingStep}.</li>
 *   <li><b>Early stopping keeps the best.</b> Validation runs every few iterations; after {@code patience} passes
 *       without improvement training stops, and the parameters of the best pass are restored and checkpointed.</li>
 *   <li><b>Checkpoints describe the architecture only.</b> Hyperparameters are the model's; optimizer settings and
 *       schedules go to the checkpoint's notes and scores to its metrics, so a loader's compatibility check does not
 *       depend on how a model was trained.</li>
 * </ul>
 *
 * <p>The trainer knows models only through {@link dev.odestream.train.TrainableModel};
 * {@link dev.odestream.train.LatentOdeTrainable} adapts the latent ODE to it. A
 * {@link dev.odestream.train.TrainingBackend} owns whole optimizer steps on its hardware:
 * {@link dev.odestream.train.CpuBackend} here, the CUDA backend in {@code dev.odestream.cuda}, which implements this
 * contract and depends on nothing above it. The worker picks a backend and knows no more of it.
 */
package dev.odestream.train;
