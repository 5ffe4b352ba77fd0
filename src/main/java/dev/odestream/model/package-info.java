/**
 * The latent ODE model: an ODE-RNN encoder, a latent ODE with a Poisson intensity, a decoder, and the calls the
 * streaming engine and the trainer make.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>One event, one small update.</b> The encoder runs forward in time, so a new event costs one ODE solve of
 *       the hidden state over the gap since the last event plus one GRU step
 *       ({@link dev.odestream.model.LatentOdeModel#observe}); a {@link dev.odestream.model.SeriesState} of plain
 *       arrays is all the engine stores per series.</li>
 *   <li><b>Path and integral in one solve.</b> {@link dev.odestream.model.LatentSystem} carries the cumulative
 *       intensities {@code Lambda_k} next to {@code z}, for all samples at once, so a forecast is one solver call
 *       whatever the number of query times, and the expected count and the probability of no event come from the
 *       same steps as the path.</li>
 *   <li><b>Serving and training share the modules.</b> The loss is written once, over a batch
 *       ({@link dev.odestream.model.BatchedElbo}); a single window is a batch of one. Its encoder runs forward in time
 *       over the context events, as {@code observe} does, and its latent solve uses the model's tolerances; given the
 *       same noise it encodes the same posterior and decodes the same values as the serving path, which tests
 *       check.</li>
 *   <li><b>Gradients by the adjoint, backprop only between solves.</b> The adjoint of {@code [z, Lambda]} runs back
 *       from the last grid time to the first with a jump at every target and event time, then through the
 *       reparameterisation and the posterior head, then through the encoder event by event: the GRU jump by
 *       backprop from the gates its forward pass kept, the gap before it by the adjoint again. Every gradient
 *       through an ODE segment comes from {@link dev.odestream.ode.adjoint.AdjointSolver}.</li>
 *   <li><b>Batches share their solves.</b> A batch of windows is one ODE solve per segment of the union of their
 *       grids, forward and adjoint: rows outside their own span stand still ({@code MaskedRows}), a GRU update
 *       touches only the series with an event at that time, and each series' latent path starts at its own
 *       {@code tau}, so a window's loss in a batch equals its loss alone to solver tolerance. By default the latent
 *       path is one dense-output pass through each stretch of the grid where the same rows move, and every segment
 *       solve that continues the previous one starts from its step ({@code BatchedElbo.Stepping}).</li>
 *   <li><b>Training through the generic trainer.</b> {@link dev.odestream.train.LatentOdeTrainable} adapts the
 *       loss to {@code dev.odestream.train.TrainableModel}: the sum of the windows' negative ELBOs in batches of a
 *       chosen size, reparameterisation noise seeded per iteration and window (so sharding, batching and threads do
 *       not change the noise), a validation score at the posterior mean, NFE counters, and the checkpoint's
 *       hyperparameters.</li>
 *   <li><b>A series' own level, a learned spread, a calibration.</b> With a {@link dev.odestream.model.LevelRule} in
 *       its {@link dev.odestream.model.DataSpec}, the value forecast is the decoder's output plus the series' recent
 *       level on the model's scale, so a series' level reaches the forecast even when the latent state does not
 *       carry it. With {@link dev.odestream.model.ModelConfig#learnedNoise()} the observation noise is a parameter
 *       block, one {@code log sigma} per value, trained with the rest; a forecast's spread is that noise plus the
 *       spread of the posterior samples. A {@link dev.odestream.model.Calibration} fitted after training scales the
 *       spread and the intensity.</li>
 *   <li><b>Deterministic forecasts.</b> Forecast noise is drawn once, at construction, from the seed (antithetic
 *       standard normals); see {@link dev.odestream.model.LatentOdeModel}.</li>
 *   <li><b>No allocation per event.</b> Workspaces are sized at construction; output holders
 *       ({@link dev.odestream.model.Forecast}) are sized by the caller; the only grow-only buffers are the solver's
 *       output rows, keyed by the number of query times. Immutable records
 *       ({@link dev.odestream.model.ForecastPoint}, {@link dev.odestream.model.Window}) are for callers off the
 *       hot path.</li>
 * </ul>
 */
package dev.odestream.model;
