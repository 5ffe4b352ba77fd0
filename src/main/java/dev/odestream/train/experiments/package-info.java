/**
 * Reproductions of published experiments, as runnable commands: each wires a data set from {@code dev.odestream.data}
 * and a concrete model to the generic {@link dev.odestream.train.Trainer}, and reports the paper's metric.
 *
 * <ul>
 *   <li>{@link dev.odestream.train.experiments.SpiralExperiment}: the bidirectional-spirals protocol of Chen et al.
 *       2018, Table 2 (extrapolating 100 points past an irregularly observed window) for the GRU baseline.</li>
 *   <li>{@link dev.odestream.train.experiments.LatentSpiralExperiment}: the same data, split and score for the latent
 *       ODE, through {@link dev.odestream.train.LatentOdeTrainable}; one window per spiral, the observations as
 *       context and the extrapolation points as targets.</li>
 *   <li>{@link dev.odestream.train.experiments.PoissonExperiment}: the Poisson toy (after their Figure 8), event
 *       times from a known intensity, scored by the relative L2 error of the learned intensity and the held-out
 *       log-likelihood per event against a homogeneous Poisson model.</li>
 *   <li>{@link dev.odestream.train.experiments.ExperimentFigures}: the SVG figures of both.</li>
 *   <li>{@link dev.odestream.train.experiments.DemoExperiment}: not a reproduction but the engine's bundled default
 *       model, the reference architecture trained on the demo workload the engine replays, scored by the forecast
 *       RMSE through the streaming path; {@link dev.odestream.train.experiments.DemoForecastFigure} draws one of its
 *       forecasts.</li>
 * </ul>
 *
 * <p>Design note. Every run is a function of its settings record and seed: data, initial weights, reparameterisation
 * noise and minibatches all derive from the seed, and each minibatch is cut into a fixed number of shards, so the
 * same command gives bitwise the same model on any thread count. Reports are records that carry the trained model, so
 * plots and tests can look at what was scored. The command line lives in {@code dev.odestream.cli}.
 */
package dev.odestream.train.experiments;
