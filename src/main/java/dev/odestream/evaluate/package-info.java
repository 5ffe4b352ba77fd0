/**
 * The scoreboard: forecasters scored one step ahead on the held-out tail of each series, all on the same events. It
 * is the measure a model must pass before it is worth serving: it has to beat the trivial forecasts on held-out data.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Split by time, never shuffled.</b> {@link dev.odestream.dataset.TimeSplit} cuts each series into train
 *       (head), validation (next slice) and test (tail), with every later part strictly later than every earlier
 *       one. It needs only each element's time, so training can cut its windows with the same rule.</li>
 *   <li><b>One interface for baselines and models.</b> A {@link dev.odestream.evaluate.Forecaster} follows a series
 *       causally, as the engine does: observe an event, predict the next at any time. Its
 *       {@link dev.odestream.evaluate.Forecast} is a Gaussian per value plus the intensity {@code lambda(t)} and the
 *       cumulative intensity {@code Lambda(t)} since the last event, what the latent ODE gives at any time.</li>
 *   <li><b>Baselines first.</b> {@link dev.odestream.evaluate.Baselines}: last value, EWMA, running mean, and a
 *       homogeneous Poisson process at the running rate. Their spreads and rates start from a
 *       {@link dev.odestream.evaluate.Prior} pooled over the training parts only, so every forecast is a usable
 *       Gaussian and nothing is tuned on the test part.</li>
 *   <li><b>Proper scores in the data's units.</b> RMSE and MAE per dimension and pooled, Gaussian NLL and CRPS,
 *       coverage of central 50/90/95% intervals ({@link dev.odestream.evaluate.ValueMetrics}); event-time NLL and
 *       the PIT of {@code exp(-Lambda)} at each event, as a histogram and as its Kolmogorov-Smirnov distance from
 *       uniform ({@link dev.odestream.evaluate.EventMetrics}).
 *       Missing values are not scored; what a forecaster cannot predict yet is skipped and counted, so a row
 *       says how many values it was scored on.</li>
 *   <li><b>The model as the engine serves it.</b> {@link dev.odestream.evaluate.ModelForecaster} runs a checkpoint
 *       through the engine's own per-series code, so its offline score is the score of what the engine answers.</li>
 *   <li><b>Choices on validation.</b> {@link dev.odestream.evaluate.Evaluator.Part#VALIDATION} scores each series'
 *       validation slice instead of its test tail, which it never reads, so that a level rule or any other choice
 *       is made without looking at the test split.</li>
 *   <li><b>No file reading here.</b> {@link dev.odestream.evaluate.Evaluator} takes series of events, as
 *       {@code dataset.Dataset#allSeries()} gives them; the {@code cli} command reads the file.</li>
 * </ul>
 *
 * <p>Not yet: event types scored apart (the intensity is that of any event), and horizons beyond one step.
 */
package dev.odestream.evaluate;
